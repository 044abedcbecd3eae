// The UI's lint gate (part of `make test`): TypeScript's recommended rules, the rules of hooks,
// and the accessibility rules for JSX. A warning fails the gate as an error would.
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat["recommended-latest"] ?? reactHooks.configs.flat.recommended,
  jsxA11y.flatConfigs.recommended,
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Focus goes, on purpose, to the first field of what the person just opened (the
      // new-issue page, the reason box of a skipped step); dialogs focus by themselves.
      "jsx-a11y/no-autofocus": "off",
    },
  },
  // A feature imports only shared/ (App composes features). The one exception: the issue
  // page shows the vendor panels of features/sync (ticket, ladder, client update).
  {
    files: ["src/features/**/*.{ts,tsx}"],
    ignores: ["src/features/issues/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^\\.\\./(?!\\.\\./)", message: "A feature imports only shared/; let App compose features." }] }],
    },
  },
  {
    files: ["src/features/issues/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^\\.\\./(?!\\.\\./|sync/)", message: "The issue pages import only shared/ and features/sync." }] }],
    },
  },
);

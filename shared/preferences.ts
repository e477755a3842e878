/**
 * The choices offered for each preference, as plain lists: the renderer imports these without
 * pulling zod into its bundle; shared/settings.ts builds the schema from them.
 */
export const languages = ['system', 'en', 'de'] as const;
export const themes = ['system', 'light', 'dark'] as const;

export type LanguagePreference = (typeof languages)[number];
export type ThemePreference = (typeof themes)[number];

// Light or dark: follows the system (prefers-color-scheme) unless the user picked one.
import { createSignal } from 'solid-js';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'hangar.theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

const [choice, setChoiceSignal] = createSignal<ThemeChoice>(stored());
const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
const [systemDark, setSystemDark] = createSignal(media?.matches ?? false);
media?.addEventListener('change', (e) => setSystemDark(e.matches));

export const themeChoice = choice;
export const isDark = () => (choice() === 'system' ? systemDark() : choice() === 'dark');

export function applyTheme(): void {
  const root = document.documentElement;
  if (choice() === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice());
}

export function setTheme(next: ThemeChoice): void {
  setChoiceSignal(next);
  try {
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
  } catch {
    // Private windows may refuse storage; the choice still holds for this page.
  }
  applyTheme();
}

/** Light ↔ dark, starting from what is shown now. */
export function toggleTheme(): void {
  setTheme(isDark() ? 'light' : 'dark');
}

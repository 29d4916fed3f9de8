import { InfraConfigError, loadInfraConfig, type SettingKey } from '../../infra/lib/config';

export type Settings = Partial<Record<SettingKey, string>>;

/** The settings as bin/app.ts reads them (context, then environment), from a plain object. */
export const from = (settings: Settings) => (key: SettingKey) => settings[key];

/** What loadInfraConfig refuses in these settings, one sentence each; none when they are valid. */
export function problemsOf(settings: Settings): string[] {
  try {
    loadInfraConfig(from(settings));
  } catch (error) {
    if (error instanceof InfraConfigError) return error.problems;
    throw error;
  }
  return [];
}

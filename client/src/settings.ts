// Pure mapping from the `asyncPatterns.*` settings to what the server accepts. No vscode import.

export const SETTINGS_SECTION = "asyncPatterns";

export const SEVERITIES = ["error", "warning", "information", "hint"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The keys the server reads from `initializationOptions` and `didChangeConfiguration`. */
export interface ServerSettings {
  select?: string[];
  ignore?: string[];
  extendSelect?: string[];
  extendIgnore?: string[];
  perFileIgnores?: Record<string, string[]>;
  severity?: Record<string, Severity>;
  extraBlockingCalls?: string[];
  threadDecorators?: string[];
  libraryCatalogues?: string[];
}

/** The settings that are lists of strings, sent as the user wrote them (trimmed, non-empty). */
const STRING_LIST_KEYS = [
  "select",
  "ignore",
  "extendSelect",
  "extendIgnore",
  "extraBlockingCalls",
  "threadDecorators",
  "libraryCatalogues",
] as const;

/**
 * Reads one setting by its key below `asyncPatterns.`, giving undefined when the user has not set
 * it: the server lets pyproject.toml decide what the editor leaves unsaid.
 */
export type SettingReader = (key: string) => unknown;

/**
 * Only the settings the user set, each well-typed, so a hand-edited settings.json cannot send
 * the server a shape it has to guess at; the server still validates and logs what it rejects.
 */
export function serverSettings(read: SettingReader): ServerSettings {
  const settings: ServerSettings = {};
  for (const key of STRING_LIST_KEYS) {
    const value = read(key);
    if (value !== undefined) {
      settings[key] = stringList(value);
    }
  }
  const severity = read("severity");
  if (severity !== undefined) {
    settings.severity = severityMap(severity);
  }
  const perFileIgnores = read("perFileIgnores");
  if (perFileIgnores !== undefined) {
    settings.perFileIgnores = patternCodes(perFileIgnores);
  }
  return settings;
}

/**
 * What the server gets when it starts: the settings, and no snippet completions, because VS Code
 * already offers the same snippets from the manifest.
 */
export function initializationOptions(read: SettingReader): ServerSettings & { snippetCompletions: false } {
  return { ...serverSettings(read), snippetCompletions: false };
}

export function didChangeConfigurationSettings(read: SettingReader): { [SETTINGS_SECTION]: ServerSettings } {
  return { [SETTINGS_SECTION]: serverSettings(read) };
}

/** Settings whose change needs a new server process rather than a didChangeConfiguration. */
export const RESTART_SETTINGS = ["enable", "interpreter"] as const;

export const SERVER_SETTING_KEYS: readonly (keyof ServerSettings)[] = [...STRING_LIST_KEYS, "severity", "perFileIgnores"];

export type ConfigurationChange = "restart" | "notify" | "none";

/** The settings among RESTART_SETTINGS that a change touched, so the log can say which. */
export function restartSettingsChanged(affects: (qualifiedKey: string) => boolean): string[] {
  return RESTART_SETTINGS.filter((key) => affects(`${SETTINGS_SECTION}.${key}`));
}

/** Classifies a configuration change by asking which `asyncPatterns.*` keys it touched. */
export function classifyConfigurationChange(affects: (qualifiedKey: string) => boolean): ConfigurationChange {
  if (restartSettingsChanged(affects).length > 0) {
    return "restart";
  }
  if (SERVER_SETTING_KEYS.some((key) => affects(`${SETTINGS_SECTION}.${key}`))) {
    return "notify";
  }
  return "none";
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .filter((item): item is string => typeof item === "string")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function patternCodes(value: unknown): Record<string, string[]> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {};
  }
  const result: Record<string, string[]> = {};
  for (const [pattern, codes] of Object.entries(value)) {
    const kept = stringList(codes);
    if (pattern.trim().length > 0 && kept.length > 0) {
      result[pattern.trim()] = kept;
    }
  }
  return result;
}

function severityMap(value: unknown): Record<string, Severity> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {};
  }
  const result: Record<string, Severity> = {};
  for (const [code, severity] of Object.entries(value)) {
    const normalised = typeof severity === "string" ? severity.trim().toLowerCase() : "";
    if ((SEVERITIES as readonly string[]).includes(normalised)) {
      result[code.trim()] = normalised as Severity;
    }
  }
  return result;
}

// Pure mapping from the `asyncPatterns.*` settings to what the server accepts. No vscode import.

export const SETTINGS_SECTION = "asyncPatterns";

export const SEVERITIES = ["error", "warning", "information", "hint"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The keys the server reads from `initializationOptions` and `didChangeConfiguration`. */
export interface ServerSettings {
  select?: string[];
  ignore?: string[];
  severity?: Record<string, Severity>;
  extraBlockingCalls?: string[];
}

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
  const select = read("select");
  const ignore = read("ignore");
  const severity = read("severity");
  const extraBlockingCalls = read("extraBlockingCalls");
  if (select !== undefined) {
    settings.select = stringList(select);
  }
  if (ignore !== undefined) {
    settings.ignore = stringList(ignore);
  }
  if (severity !== undefined) {
    settings.severity = severityMap(severity);
  }
  if (extraBlockingCalls !== undefined) {
    settings.extraBlockingCalls = stringList(extraBlockingCalls);
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

export const SERVER_SETTING_KEYS: readonly (keyof ServerSettings)[] = ["select", "ignore", "severity", "extraBlockingCalls"];

export type ConfigurationChange = "restart" | "notify" | "none";

/** Classifies a configuration change by asking which `asyncPatterns.*` keys it touched. */
export function classifyConfigurationChange(affects: (qualifiedKey: string) => boolean): ConfigurationChange {
  if (RESTART_SETTINGS.some((key) => affects(`${SETTINGS_SECTION}.${key}`))) {
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

/** The configuration for a command that needs the service's store: bad variables are reported, not thrown. */
import { ConfigError, loadConfig, type Config } from '../config.js';

/** The frozen config, or null after printing every bad variable (the command then exits with 2). */
export function loadCommandConfig(name: string): Config | null {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`docsort ${name}: ${error.message}\n`);
      return null;
    }
    throw error;
  }
}

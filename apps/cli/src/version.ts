/** The CLI's version: printed by `--version`, written in the daemon's owner record, compared by preflight. */
export const cliVersion = "0.1.0";

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError, codeForStatus, errorBody, errorCodes, toAppError } from "./app-error";

describe("the error code table", () => {
  it("is exactly what docs/errors.md lists", () => {
    const doc = readFileSync(new URL("../../../docs/errors.md", import.meta.url), "utf8");
    const rows = [...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*(\d)\s*\|\s*(.+?)\s*\|$/gm)].map(
      (match) => ({
        code: match[1],
        status: Number(match[2]),
        exit: Number(match[3]),
        summary: match[4],
      }),
    );
    const table = Object.entries(errorCodes).map(([code, row]) => ({ code, ...row }));
    expect(rows).toEqual(table);
  });

  it("maps statuses back to codes and hides internal causes", () => {
    expect(codeForStatus(404)).toBe("not_found");
    expect(codeForStatus(599)).toBe("internal");
    const wrapped = toAppError(new Error("SQLITE_BUSY: secret path /etc/x"));
    expect(wrapped.code).toBe("internal");
    expect(errorBody(wrapped, "r1")).toEqual({
      error: { code: "internal", message: "Internal error" },
      requestId: "r1",
    });
    const expected = new AppError("not_found", "No thread", { details: { id: "x" } });
    expect(expected.status).toBe(404);
    expect(expected.exitCode).toBe(1);
    expect(toAppError(expected)).toBe(expected);
  });
});

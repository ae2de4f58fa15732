import Database from "better-sqlite3";
import { nltkEnglishStopWords } from "./english-stop-words";
import type { LocomoTurn } from "./load-locomo";

/** A plain FTS5 index of one conversation's turns: what a developer would build in an afternoon. */
export interface Baseline {
  name: string;
  /** The dia ids of the best `limit` turns for a question, best first. */
  search(question: string, limit: number): string[];
  close(): void;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_']+/gu) ?? [];
}

function quotedOr(terms: string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(" OR ");
}

function fts5Baseline(name: string, turns: LocomoTurn[], tokenize: string, termsOf: (q: string) => string[]): Baseline {
  const db = new Database(":memory:");
  db.exec(`CREATE VIRTUAL TABLE turns USING fts5(dia_id UNINDEXED, content, tokenize = '${tokenize}')`);
  const insert = db.prepare("INSERT INTO turns (dia_id, content) VALUES (?, ?)");
  db.transaction(() => {
    for (const turn of turns) insert.run(turn.diaId, turn.text);
  })();
  const query = db.prepare("SELECT dia_id FROM turns WHERE turns MATCH ? ORDER BY bm25(turns) LIMIT ?");
  return {
    name,
    search(question, limit) {
      const terms = [...new Set(termsOf(question))];
      if (terms.length === 0) return [];
      return (query.all(quotedOr(terms), limit) as { dia_id: string }[]).map((row) => row.dia_id);
    },
    close: () => db.close(),
  };
}

/** The two baselines: every word quoted and OR'd; and Porter stemming with English stop words removed. */
export function baselinesFor(turns: LocomoTurn[]): Baseline[] {
  return [
    fts5Baseline("FTS5 bm25, words OR'd", turns, "unicode61", words),
    fts5Baseline("FTS5 porter, stop words out", turns, "porter unicode61", (question) => {
      const all = words(question);
      const content = all.filter((word) => !nltkEnglishStopWords.has(word));
      return content.length > 0 ? content : all;
    }),
  ];
}

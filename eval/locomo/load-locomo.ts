import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One turn of a LoCoMo conversation, as Cairn stores it: its text with the caption of a photo it shared. */
export interface LocomoTurn {
  diaId: string;
  speaker: string;
  text: string;
}

export interface LocomoSession {
  index: number;
  /** When the session took place (ISO); its turns are a second apart from there. */
  at: string;
  turns: LocomoTurn[];
}

export interface LocomoQuestion {
  question: string;
  /** The reference answer (categories 1 to 4); null for category 5, whose answer is not in the conversation. */
  answer: string | null;
  /** The turns that answer it, normalised (`D8:6`); some point at no turn. */
  evidence: string[];
  category: 1 | 2 | 3 | 4 | 5;
}

export interface LocomoConversation {
  /** The file's name without `.json`. */
  name: string;
  speakers: string[];
  sessions: LocomoSession[];
  questions: LocomoQuestion[];
}

/** Every conversation file (`*.json`) of a directory in LoCoMo's format (see its README), by name. */
export function loadLocomo(dir: string): LocomoConversation[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  if (files.length === 0) throw new Error(`No LoCoMo conversation files (*.json) in ${dir}`);
  return files.map((file) =>
    conversationOf(file.replace(/\.json$/, ""), JSON.parse(readFileSync(join(dir, file), "utf8"))),
  );
}

type Raw = Record<string, unknown>;

function conversationOf(name: string, raw: Raw): LocomoConversation {
  const sessions: LocomoSession[] = [];
  for (const key of Object.keys(raw)) {
    const match = /^session_(\d+)$/.exec(key);
    const turns = raw[key];
    if (!match || !Array.isArray(turns)) continue;
    const index = Number(match[1]);
    const when = raw[`session_${index}_date_time`];
    if (typeof when !== "string") throw new Error(`${name}: session ${index} has no date`);
    sessions.push({ index, at: sessionTime(when), turns: turns.map((turn: Raw) => turnOf(turn)) });
  }
  sessions.sort((a, b) => a.index - b.index);
  const questions = ((raw.qa as Raw[] | undefined) ?? []).map(
    (qa): LocomoQuestion => ({
      question: String(qa.question),
      answer: qa.answer === undefined || qa.answer === null ? null : String(qa.answer),
      evidence: normaliseEvidence((qa.evidence as unknown[] | undefined) ?? []),
      category: Number(qa.category) as LocomoQuestion["category"],
    }),
  );
  return { name, speakers: [String(raw.speaker_a), String(raw.speaker_b)], sessions, questions };
}

function turnOf(turn: Raw): LocomoTurn {
  const caption = typeof turn.blip_caption === "string" ? turn.blip_caption : null;
  const text = String(turn.text ?? "");
  return {
    diaId: normaliseEvidence([turn.dia_id])[0] ?? String(turn.dia_id),
    speaker: String(turn.speaker),
    // The photo's caption is part of what was said: questions ask about what the photo showed.
    text: caption ? `${text}\n[shared a photo: ${caption}]` : text,
  };
}

/** `D8:6; D9:17`, `D:11:26` and `D30:05` as the ids turns carry (`D8:6`, `D9:17`, `D11:26`, `D30:5`). */
export function normaliseEvidence(ids: unknown[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    for (const match of String(id).matchAll(/D:?(\d+):0*(\d+)/g)) out.push(`D${Number(match[1])}:${Number(match[2])}`);
  }
  return [...new Set(out)];
}

const monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** "1:56 pm on 8 May, 2023" as an ISO time (the conversations carry no zone: read as UTC). */
export function sessionTime(text: string): string {
  const match = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})/i.exec(text);
  if (!match) throw new Error(`Unreadable session date: ${text}`);
  const [, hour, minute, half, day, month, year] = match;
  const monthIndex = monthNames.indexOf((month ?? "").slice(0, 3).toLowerCase());
  if (monthIndex < 0) throw new Error(`Unreadable month in session date: ${text}`);
  const hours = (Number(hour) % 12) + ((half ?? "").toLowerCase() === "pm" ? 12 : 0);
  return new Date(Date.UTC(Number(year), monthIndex, Number(day), hours, Number(minute))).toISOString();
}

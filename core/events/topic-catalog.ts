import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { contractsDir } from '../shared/paths';
import { validatorFor } from '../schemas/validator';

export interface TopicEntry { name: string; version: string; description: string; validate: ValidateFunction }

let topics: Map<string, TopicEntry> | undefined;

/** contracts/events/topics.json with each topic's compiled payload schema. */
export function topicCatalog(): Map<string, TopicEntry> {
  if (topics) return topics;
  const raw = JSON.parse(readFileSync(join(contractsDir(), 'events', 'topics.json'), 'utf8')) as {
    topics: Record<string, { version: string; description: string; payload: string }>;
  };
  topics = new Map();
  for (const [name, t] of Object.entries(raw.topics)) {
    topics.set(name, { name, version: t.version, description: t.description, validate: validatorFor('events/' + t.payload) });
  }
  return topics;
}

export function topicEntry(name: string): TopicEntry {
  const t = topicCatalog().get(name);
  if (!t) throw new Error('unknown topic ' + name);
  return t;
}

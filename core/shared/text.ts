/** "a GREEN …" but "an AMBER …", "an extended …". */
export const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an ' : 'a ') + word;

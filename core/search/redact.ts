// PII that AMBER previews hide from others: e-mail addresses and phone numbers.
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const PHONE = /(?<![\p{L}\p{N}])\+?\d[\d\s().-]{6,}\d(?![\p{L}\p{N}])/gu;

export function redactPii(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

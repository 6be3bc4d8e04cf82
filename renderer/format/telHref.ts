/** A phone number as a `tel:` address: the digits and a leading +, without the extension. */
export function telHref(phone: string): string | null {
  const main = phone.split(/доб|ext|x/i)[0] ?? '';
  const digits = main.replace(/[^0-9+]/g, '').replace(/(?!^)\+/g, '');
  return digits.replace('+', '').length >= 3 ? `tel:${digits}` : null;
}

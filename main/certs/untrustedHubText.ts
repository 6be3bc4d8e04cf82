import type { Lang } from '../../common/i18n/Lang.ts';
import type { HubCertificate } from './inspectHubCertificate.ts';

/** The message about a hub's certificate the app does not trust: a title, what is wrong, what IT should do. */
export interface UntrustedHubText {
  title: string;
  /** What is wrong and what IT should do (after the title). */
  body: string;
  /** Title and body in one line, for the sign-in form. */
  full: string;
}

type Problem = NonNullable<HubCertificate['problem']>;

const texts: Record<Lang, { title: string } & Record<Problem, (host: string, c: HubCertificate) => string>> = {
  ru: {
    title: 'Сертификат хаба не доверен',
    untrusted: (host, c) =>
      `${host} предъявил сертификат, выданный центром сертификации «${c.issuer}», которому этот компьютер не доверяет (${c.code}). ` +
      'Без проверенного шифрования Беседа не подключается. ' +
      `Что сделать ИТ: добавить корневой сертификат «${c.issuer}» в хранилище «Доверенные корневые центры сертификации» ` +
      'этого компьютера (например, групповой политикой) и перезапустить Беседу.',
    expired: (host, c) =>
      `сертификат ${host} (выдан «${c.issuer}») просрочен или ещё не действует: срок — до ${c.validTo}. ` +
      'Что сделать ИТ: выпустить для хаба новый сертификат; проверьте и часы этого компьютера.',
    name: (host, c) =>
      `сертификат выдан для «${c.subject}», а Беседа подключается к ${host}. ` +
      `Что сделать ИТ: выпустить сертификат хаба с именем ${host} (subjectAltName) или указать в настройках адрес хаба из сертификата.`,
  },
  en: {
    title: 'The hub’s certificate is not trusted',
    untrusted: (host, c) =>
      `${host} presented a certificate issued by the certificate authority “${c.issuer}”, which this computer does not trust (${c.code}). ` +
      'Beseda does not connect without verified encryption. ' +
      `For IT: add the root certificate “${c.issuer}” to this computer’s “Trusted Root Certification Authorities” ` +
      'store (for example by Group Policy) and restart Beseda.',
    expired: (host, c) =>
      `the certificate of ${host} (issued by “${c.issuer}”) has expired or is not valid yet: valid until ${c.validTo}. ` +
      'For IT: issue a new certificate for the hub; check this computer’s clock as well.',
    name: (host, c) =>
      `the certificate was issued for “${c.subject}”, but Beseda connects to ${host}. ` +
      `For IT: issue the hub a certificate with the name ${host} (subjectAltName), or set the hub address to the name in the certificate.`,
  },
};

/**
 * Says in the user's language that the hub's certificate is not trusted, naming the CA that
 * issued it (or the name or date that is wrong) and what IT should do.
 */
export function untrustedHubText(lang: Lang, host: string, cert: HubCertificate): UntrustedHubText {
  const t = texts[lang];
  const body = t[cert.problem ?? 'untrusted'](host, cert);
  return { title: t.title, body, full: `${t.title}: ${body}` };
}

import '../styles/profile.css';
import type { ComponentChildren, JSX } from 'preact';
import type { User } from '../../common/protocol/model.ts';
import { openLink } from '../actions/messaging.ts';
import { writeTo } from '../actions/profile.ts';
import { Dialog } from '../dialogs/Dialog.tsx';
import { localTimeIn } from '../format/localTime.ts';
import { telHref } from '../format/telHref.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { now } from '../state/clock.ts';
import { dialog } from '../state/uiState.ts';
import { Avatar, PresenceDot } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import { presenceText } from './presenceText.ts';

/** One line of the card: a label for the eye and for screen readers, then the value. */
function Field({ label, children }: { label: string; children: ComponentChildren }): JSX.Element {
  return (
    <div class="profile-field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** «14:05 (Samara), +1 ч к вашему времени» for a person whose app reported a time zone. */
function LocalTime({ zone }: { zone: string }): JSX.Element | null {
  const lang = language.value;
  const local = localTimeIn(zone, now.value, lang);
  if (!local) return null;
  const diff =
    local.diffHours === 0
      ? t('profile.sameTime')
      : t(local.diffHours > 0 ? 'profile.ahead' : 'profile.behind', { n: Math.abs(local.diffHours) });
  return (
    <Field label={t('profile.localTime')}>
      <span data-local-time="">
        {t('profile.localTimeValue', { time: local.time, place: local.place })}
        <span class="profile-faint"> · {diff}</span>
      </span>
    </Field>
  );
}

function CardBody({ user }: { user: User }): JSX.Element {
  const me = client.me.value;
  const self = me?.id === user.id;
  const tel = user.phone ? telHref(user.phone) : null;
  return (
    <div class="profile-card" data-user-id={user.id}>
      <div class="profile-head">
        <Avatar name={user.name} seed={user.id} size="lg" />
        <div class="profile-who">
          <UserText class="profile-name" text={user.name} />
          <span class="profile-login">
            @<UserText text={user.login} />
            {user.isBot && <span class="tag tag-bot">{t('message.bot')}</span>}
          </span>
          <span class="profile-presence">
            <PresenceDot status={user.presence} decorative />
            {user.disabled ? t('profile.disabled') : presenceText(user, now.value, language.value)}
          </span>
        </div>
      </div>
      <dl class="profile-fields">
        {user.position && (
          <Field label={t('profile.position')}>
            <UserText text={user.position} />
          </Field>
        )}
        {user.branch && (
          <Field label={t('profile.branch')}>
            <UserText text={user.branch} />
          </Field>
        )}
        {user.phone && (
          <Field label={t('profile.phone')}>
            {tel ? (
              <a href={tel} class="profile-link">
                <UserText text={user.phone} />
              </a>
            ) : (
              <UserText text={user.phone} />
            )}
          </Field>
        )}
        {user.email && (
          <Field label={t('profile.email')}>
            <a
              href={`mailto:${user.email}`}
              class="profile-link"
              onClick={(e) => {
                // Through the app, so the desktop opens the mail program too (the page would navigate).
                e.preventDefault();
                openLink(`mailto:${user.email}`);
              }}
            >
              <UserText text={user.email} />
            </a>
          </Field>
        )}
        {user.timeZone && <LocalTime zone={user.timeZone} />}
      </dl>
      {self ? (
        <p class="profile-faint">{t('profile.you')}</p>
      ) : (
        !user.disabled && (
          <div class="profile-actions">
            <button type="button" class="button button-brand" data-autofocus="" onClick={() => void writeTo(user.id)}>
              <Icon name="message" size={16} />
              {t('profile.write')}
            </button>
          </div>
        )
      )}
    </div>
  );
}

/**
 * A person's profile card (a dialog): name, login, position, branch, phone (a tel: link), e-mail
 * (mailto:), local time in their time zone, presence, and «Написать». Position, phone and e-mail
 * come from the organisation's directory; the time zone from the person's app.
 */
export function ProfileCard({ userId }: { userId: number }): JSX.Element | null {
  const user = client.users.value[userId];
  const close = () => (dialog.value = null);
  if (!user) return null;
  return (
    <Dialog title={t('profile.title')} onClose={close} size="sm">
      <CardBody user={user} />
    </Dialog>
  );
}

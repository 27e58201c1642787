/**
 * The card's entry: HubSpot calls `hubspot.extend` with the record's context. This file only wires HubSpot to
 * the pure view (contact-clv-view.tsx): it loads the card from our server with `hubspot.fetch` and sends the
 * rep's choices on the suggested actions back.
 */
import React from 'react';
import { hubspot } from '@hubspot/ui-extensions';
import { CardApiError, fetchContactCard, sendActionFeedback, type CardFetch } from './card-api';
import { ContactClvView, type ActionChoice, type ActionProgress, type CardLoad } from './contact-clv-view';

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => (
  <ContactClvCard
    portalId={context.portal.id}
    objectId={context.crm.objectId}
    userId={context.user.id}
    locale={context.user.locale}
    timeZone={context.portal.timezone}
    addAlert={actions.addAlert}
  />
));

type ContactClvCardProps = {
  portalId: number;
  objectId: number;
  userId: number;
  locale: string | undefined;
  timeZone: string;
  addAlert: (alert: { type: 'danger'; message: string }) => void;
};

const hubspotFetch: CardFetch = (url, options) => hubspot.fetch(url, options);

function ContactClvCard(props: ContactClvCardProps) {
  const { portalId, objectId, userId, addAlert } = props;
  const [attempt, setAttempt] = React.useState(0);
  // The answer is kept with the request it answers: a new record or a retry is "loading" until its own
  // answer arrives (no state reset inside the effect: react-hooks/set-state-in-effect).
  const request = `${portalId}:${objectId}:${attempt}`;
  const [answer, setAnswer] = React.useState<{ request: string; load: CardLoad }>();
  const load: CardLoad = answer?.request === request ? answer.load : { state: 'loading' };
  const [progress, setProgress] = React.useState<ActionProgress>({});

  React.useEffect(() => {
    let current = true;
    fetchContactCard(hubspotFetch, { portalId, objectId }).then(
      (response) => current && setAnswer({ request, load: { state: 'loaded', response } }),
      (error: unknown) =>
        current && setAnswer({ request, load: { state: 'error', message: messageOf(error) } }),
    );
    return () => {
      current = false;
    };
  }, [portalId, objectId, request]);

  const onAction = ({ actionId, outcome }: ActionChoice) => {
    const before = progress[actionId];
    setProgress((p) => ({ ...p, [actionId]: { outcome, pending: true } }));
    sendActionFeedback(hubspotFetch, { portalId, objectId, actionId, outcome, userId }).then(
      () => setProgress((p) => ({ ...p, [actionId]: { outcome, pending: false } })),
      (error: unknown) => {
        setProgress((p) => {
          const next = { ...p };
          if (before) next[actionId] = before;
          else delete next[actionId];
          return next;
        });
        addAlert({ type: 'danger', message: `Your choice was not saved: ${messageOf(error)}` });
      },
    );
  };

  return (
    <ContactClvView
      load={load}
      actionProgress={progress}
      locale={props.locale}
      timeZone={props.timeZone}
      onRetry={() => setAttempt((n) => n + 1)}
      onAction={onAction}
    />
  );
}

function messageOf(error: unknown): string {
  return error instanceof CardApiError ? error.message : 'Something went wrong. Try again in a moment.';
}

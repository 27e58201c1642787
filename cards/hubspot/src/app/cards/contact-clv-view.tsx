/**
 * The contact card as a pure view: what to show for a load state, and callbacks for what the rep does. No
 * HubSpot context, no fetching (ContactClvCard.tsx does that), so the tests render it with the testing
 * utilities @hubspot/ui-extensions ships. Only @hubspot/ui-extensions components: no DOM, no style props, and
 * the playbook as text (its `html` is never injected).
 */
import React from 'react';
import {
  Accordion,
  Button,
  ButtonRow,
  Divider,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  Statistics,
  StatisticsItem,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import {
  churnBandLabel,
  churnBandVariant,
  formatDay,
  formatMoment,
  formatMoney,
  formatPercent,
} from './card-format';
import type { ActionOutcome, CardAction, CardResponse } from './card-response';

export type CardLoad =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'loaded'; response: CardResponse };

/** What the rep did with an action in this session: the outcome sent, and whether the server has confirmed it. */
export type ActionProgress = Record<string, { outcome: ActionOutcome; pending: boolean }>;

export type ActionChoice = { actionId: string; outcome: ActionOutcome };

export type ContactClvViewProps = {
  load: CardLoad;
  actionProgress?: ActionProgress;
  /** BCP 47, the rep's (context.user.locale); numbers and dates follow it. */
  locale?: string;
  /** The portal's time zone, for the scoring time. */
  timeZone?: string;
  onRetry: () => void;
  onAction: (choice: ActionChoice) => void;
};

export const MAX_RECOMMENDATIONS = 3;
export const MAX_ACTIONS = 3;

export function ContactClvView(props: ContactClvViewProps) {
  const { load } = props;
  if (load.state === 'loading') return <LoadingSpinner label="Loading customer value…" layout="centered" />;
  if (load.state === 'error')
    return (
      <ErrorState title="Customer value could not be loaded" type="error">
        <Text>{load.message}</Text>
        <Button variant="secondary" onClick={() => props.onRetry()}>
          Try again
        </Button>
      </ErrorState>
    );
  const { response } = load;
  return response.status === 'too-little-history' ? (
    <FallbackCard {...props} response={response} />
  ) : (
    <ScoredCard {...props} response={response} />
  );
}

type ResponseProps = ContactClvViewProps & { response: CardResponse };

function ScoredCard(props: ResponseProps) {
  const { response } = props;
  const locale = props.locale ?? 'en-US';
  const { clv, churn } = response;
  return (
    <Flex direction="column" gap="sm">
      <SegmentTags response={response} />
      {response.segment && <Text variant="microcopy">{response.segment.description}</Text>}
      <Statistics>
        <StatisticsItem
          label={`Predicted CLV (${clv.months} months)`}
          number={formatMoney(clv.predicted, clv.currency, locale)}
        />
        <StatisticsItem label="Historic CLV" number={formatMoney(clv.historic, clv.currency, locale)} />
        <StatisticsItem
          label="Churn probability"
          number={churn ? formatPercent(churn.probability, locale) : 'Not estimated'}
        />
        <StatisticsItem
          label="P(alive)"
          number={response.pAlive === null ? 'Not estimated' : formatPercent(response.pAlive, locale)}
        />
      </Statistics>
      {churn && churn.drivers.length > 0 && (
        <Flex direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>Why this risk</Text>
          {churn.drivers.map((driver) => (
            <Text key={driver.feature}>{driver.text}</Text>
          ))}
        </Flex>
      )}
      {response.nextOrderDate && (
        <Text>{`Next order expected: ${formatDay(response.nextOrderDate, locale)}`}</Text>
      )}
      <Recommendations response={response} />
      <Actions {...props} />
      <Playbook response={response} defaultOpen={false} />
      <ModelLine {...props} />
    </Flex>
  );
}

/** Too little history: the reason, then the RFM-rule fallback (actions and playbook), never an empty card. */
function FallbackCard(props: ResponseProps) {
  const { response } = props;
  return (
    <Flex direction="column" gap="sm">
      <EmptyState
        title="Not enough history to score this customer yet"
        layout="vertical"
        imageName="contacts"
      >
        <Text>{response.reason ?? 'This contact has too few orders for the models to score.'}</Text>
      </EmptyState>
      <SegmentTags response={response} />
      <Actions {...props} />
      <Playbook response={response} defaultOpen />
      <ModelLine {...props} />
    </Flex>
  );
}

function SegmentTags({ response }: { response: CardResponse }) {
  const { segment, churn, rfm } = response;
  if (!segment && !churn && !rfm) return null;
  return (
    <Flex direction="row" gap="xs" wrap="wrap">
      {segment && (
        <Tag variant="info" testId="segment-tag">
          {segment.name}
        </Tag>
      )}
      {churn && (
        <Tag variant={churnBandVariant(churn.band)} testId="churn-band-tag">
          {churnBandLabel(churn.band)}
        </Tag>
      )}
      {rfm && (
        <Tag variant="default" testId="rfm-tag">
          {`RFM: ${rfm.segment}`}
        </Tag>
      )}
    </Flex>
  );
}

function Recommendations({ response }: { response: CardResponse }) {
  const top = response.recommendations.slice(0, MAX_RECOMMENDATIONS);
  if (top.length === 0) return null;
  return (
    <Flex direction="column" gap="xs">
      <Text format={{ fontWeight: 'demibold' }}>Recommended products</Text>
      {top.map((product) => (
        <Flex
          key={product.productId}
          direction="column"
          gap="flush"
          testId={`recommendation-${product.productId}`}
        >
          <Text>{product.productName}</Text>
          <Text variant="microcopy">{product.reason}</Text>
        </Flex>
      ))}
    </Flex>
  );
}

function Actions(props: ResponseProps) {
  const actions = props.response.actions.slice(0, MAX_ACTIONS);
  if (actions.length === 0) return null;
  return (
    <Flex direction="column" gap="sm">
      <Divider />
      <Text format={{ fontWeight: 'demibold' }}>Next best actions</Text>
      {actions.map((action) => (
        <ActionItem
          key={action.id}
          action={action}
          progress={props.actionProgress?.[action.id]}
          locale={props.locale ?? 'en-US'}
          onAction={props.onAction}
        />
      ))}
    </Flex>
  );
}

const OUTCOME_WORDS: Record<ActionOutcome, string> = {
  accepted: 'Accepted',
  dismissed: 'Dismissed',
  completed: 'Done',
};

function ActionItem(props: {
  action: CardAction;
  progress: ActionProgress[string] | undefined;
  locale: string;
  onAction: (choice: ActionChoice) => void;
}) {
  const { action, progress, locale } = props;
  const choose = (outcome: ActionOutcome) => () => props.onAction({ actionId: action.id, outcome });
  const pending = progress?.pending ?? false;
  return (
    <Flex direction="column" gap="xs" testId={`action-${action.id}`}>
      <Text format={{ fontWeight: 'bold' }}>{action.title}</Text>
      <Text variant="microcopy">{action.reason}</Text>
      {action.offer && (
        <Text>
          {`Offer up to ${formatPercent(action.offer.discount, locale)} off the next order (about ${formatMoney(action.offer.amount, action.offer.currency, locale)}).`}
        </Text>
      )}
      {progress && (
        <Tag variant={progress.outcome === 'dismissed' ? 'default' : 'success'}>
          {OUTCOME_WORDS[progress.outcome]}
        </Tag>
      )}
      {!progress && (
        <ButtonRow>
          <Button variant="primary" size="sm" onClick={choose('accepted')}>
            Accept
          </Button>
          <Button variant="secondary" size="sm" onClick={choose('dismissed')}>
            Dismiss
          </Button>
        </ButtonRow>
      )}
      {progress?.outcome === 'accepted' && (
        <ButtonRow>
          <Button variant="secondary" size="sm" disabled={pending} onClick={choose('completed')}>
            Mark done
          </Button>
        </ButtonRow>
      )}
    </Flex>
  );
}

function Playbook({ response, defaultOpen }: { response: CardResponse; defaultOpen: boolean }) {
  const { playbook } = response;
  if (playbook.sections.length === 0) return null;
  return (
    <Accordion title={playbook.title} defaultOpen={defaultOpen} size="sm">
      <Flex direction="column" gap="sm">
        {playbook.sections.map((section) => (
          <Flex key={section.key} direction="column" gap="flush">
            <Text format={{ fontWeight: 'demibold' }}>{section.heading}</Text>
            <Text>{section.text}</Text>
          </Flex>
        ))}
      </Flex>
    </Accordion>
  );
}

function ModelLine(props: ResponseProps) {
  const { model } = props.response;
  const scoredAt = formatMoment(model.scoredAt, props.locale ?? 'en-US', props.timeZone ?? 'UTC');
  return <Text variant="microcopy">{`Model ${model.version} · scored ${scoredAt}`}</Text>;
}

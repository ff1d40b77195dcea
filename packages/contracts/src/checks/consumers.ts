import type { Consumer } from '../schema.ts';
import { satisfies } from '../semver.ts';

export interface ConsumerVerdict {
  name: string;
  contact: string;
  accepts: string;
  satisfied: boolean;
  reason: string;
}

export interface ConsumerStatus {
  /** True when every consumer accepts the version (and trivially when there are none). */
  allSatisfied: boolean;
  consumers: ConsumerVerdict[];
}

/** Which consumers accept contract `version`; the controller blocks a rollout on any that does not. */
export function consumerStatus(version: string, consumers: readonly Consumer[]): ConsumerStatus {
  const verdicts = consumers.map(({ name, contact, accepts }) => {
    const satisfied = satisfies(version, accepts);
    const reason = satisfied
      ? `consumer '${name}' accepts ${accepts}, which includes ${version}`
      : `consumer '${name}' accepts ${accepts}, which excludes ${version}; contact ${contact}`;
    return { name, contact, accepts, satisfied, reason };
  });
  return { allSatisfied: verdicts.every((v) => v.satisfied), consumers: verdicts };
}

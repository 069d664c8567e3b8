// cdk-nag AwsSolutions as bin/arbiter.ts registers it, on a full synth (with CDK's own
// CloudFormation validation too): nothing may be reported, and every acknowledgement must
// give a reason and still be needed.
import { readFileSync } from 'node:fs';
import { type PolicyViolation, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { arbiterApp } from './arbiter-app.js';

const { app } = arbiterApp({ validate: true });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
let synthError: unknown;
try {
  app.synth();
} catch (error) {
  synthError = error; // ValidationFailed: the findings are in the report below
}
const report = JSON.parse(readFileSync(`${app.outdir}/validation-report.json`, 'utf8'));

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason })),
  );
}

/** All AwsSolutions findings, as if nothing were acknowledged. */
function findingsIgnoringAcknowledgements(): PolicyViolation[] {
  const pack = new AwsSolutionsChecks();
  // cdk-nag has no switch for this; its private acknowledgement check is replaced for this one run.
  Object.assign(pack, { isAcknowledged: () => false });
  return pack.validateScope(app).violations;
}

describe('cdk-nag AwsSolutions and CloudFormation validation', () => {
  it('synthesizes with no unacknowledged finding, error or warning', () => {
    const findings = report.pluginReports.flatMap((r: { violations: PolicyViolation[] }) => r.violations);
    expect(findings.map((f: PolicyViolation) => `${f.ruleName}: ${f.description}`)).toEqual([]);
    expect(synthError).toBeUndefined();
  });

  it('gives every acknowledgement a written reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.trim().length, `${ack.id} at ${ack.path}`).toBeGreaterThan(40);
  });

  it('acknowledges only findings that really occur under the acknowledging construct', () => {
    const findings = findingsIgnoringAcknowledgements();
    for (const ack of acknowledgements(app)) {
      const finding = findings.find((f) => f.ruleName === ack.id);
      const where = finding?.violatingResources.map((r) => r.constructPath ?? '') ?? [];
      expect(
        where.some((path) => path.startsWith(`${ack.path}/`)),
        `${ack.id} at ${ack.path}`,
      ).toBe(true);
    }
  });
});

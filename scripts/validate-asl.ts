// asl-validator (AWS States Language) on every statemachines/*.asl.json and on each definition
// embedded in the synthesized template, its ${Placeholders} substituted as CloudFormation would.
// Usage: node --import tsx scripts/validate-asl.ts <template.json>. Prints one PASS/FAIL line per
// definition; the exit code is the number of failures.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Validator = (
  definition: unknown,
  options: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errors: unknown[] };
const validate = createRequire(import.meta.url)('asl-validator') as Validator;

type Json = any; // CloudFormation JSON
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** What a GetAtt/Ref of a resource stands for once deployed: an ARN of the right shape, or a name. */
function deployedValue(resources: Record<string, Json>, value: Json): string {
  if (typeof value === 'string') return value;
  const [id, attribute] = value?.['Fn::GetAtt'] ?? [value?.Ref, 'Ref'];
  const type: string | undefined = resources[id]?.Type;
  if (!type)
    throw new Error(`a substitution refers to ${JSON.stringify(value)}, which is not a resource of the template`);
  const arns: Record<string, string> = {
    'AWS::Lambda::Function': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`,
    'AWS::DynamoDB::Table': `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${id}`,
    'AWS::SNS::Topic': `arn:aws:sns:${REGION}:${ACCOUNT}:${id}`,
    'AWS::SQS::Queue': `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`,
    'AWS::StepFunctions::StateMachine': `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${id}`,
  };
  // Ref of a table or a function is its name; of a topic, a queue URL or a state machine, the ARN-like value.
  if (attribute === 'Ref' && (type === 'AWS::DynamoDB::Table' || type === 'AWS::Lambda::Function')) return id;
  return arns[type] ?? `${id}.${attribute}`;
}

function definitionText(definition: Json): string {
  if (typeof definition === 'string') return definition;
  if (definition?.['Fn::Join'])
    return definition['Fn::Join'][1]
      .map((part: Json) => (typeof part === 'string' ? part : '"token"'))
      .join(definition['Fn::Join'][0]);
  throw new Error('DefinitionString is neither a string nor an Fn::Join');
}

function embeddedDefinitions(templatePath: string): [string, () => unknown][] {
  const { Resources: resources } = JSON.parse(readFileSync(templatePath, 'utf8')) as {
    Resources: Record<string, Json>;
  };
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([id, { Properties: properties }]) => [
      `${templatePath}#${id}`,
      () => {
        const substitutions: Record<string, Json> = properties.DefinitionSubstitutions ?? {};
        const text = definitionText(properties.DefinitionString).replace(
          /\$\{(\w+)\}/g,
          (placeholder, name: string) => {
            if (!(name in substitutions)) throw new Error(`${placeholder} has no DefinitionSubstitutions entry`);
            return deployedValue(resources, substitutions[name]);
          },
        );
        return JSON.parse(text);
      },
    ]);
}

function check(name: string, load: () => unknown): boolean {
  try {
    const { isValid, errors } = validate(load(), { checkPaths: true, checkArn: true });
    console.log(
      isValid ? `PASS asl-validator ${name}` : `FAIL asl-validator ${name}: ${JSON.stringify(errors, null, 2)}`,
    );
    return isValid;
  } catch (error) {
    console.log(`FAIL asl-validator ${name}: ${(error as Error).message}`);
    return false;
  }
}

const template = process.argv[2];
if (!template) {
  console.error('usage: scripts/validate-asl.ts <synthesized template.json>');
  process.exit(2);
}
const files = readdirSync('statemachines')
  .filter((f) => f.endsWith('.asl.json'))
  .map((f): [string, () => unknown] => [
    join('statemachines', f),
    () => JSON.parse(readFileSync(join('statemachines', f), 'utf8')),
  ]);
const definitions = [...files, ...embeddedDefinitions(template)];
if (embeddedDefinitions(template).length === 0)
  definitions.push([
    `${template} (no state machine found)`,
    () => {
      throw new Error('the template has no AWS::StepFunctions::StateMachine');
    },
  ]);
const failures = definitions.filter(([name, load]) => !check(name, load)).length;
process.exit(failures);

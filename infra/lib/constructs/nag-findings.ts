import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag names a resource in a granular finding (`IAM5[Resource::<name>]`): a plain ARN as it
 * is, and an attribute of a resource of the stack as `<LogicalId.Arn>`. Acknowledgments must name
 * the finding exactly, so they are built from the ARN rather than copied from a report.
 */
export function nagResourceName(scope: IConstruct, arn: string): string {
  const render = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const [intrinsic, argument] = Object.entries(value)[0] as [string, any];
      if (intrinsic === 'Fn::GetAtt') return `<${argument[0]}.${argument[1]}>`;
      if (intrinsic === 'Fn::Join') return (argument[1] as unknown[]).map(render).join(argument[0]);
      if (intrinsic === 'Ref') return `<${argument}>`;
    }
    throw new Error(`nagResourceName cannot name ${JSON.stringify(value)}.`);
  };
  return render(Stack.of(scope).resolve(arn));
}

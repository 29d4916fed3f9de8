import type { Template } from 'aws-cdk-lib/assertions';
import { apiContainer, logicalId, resourcesOf, synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

describe('EmailIdentity', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  const identityOf = (template: Template) => {
    const id = logicalId(template, 'AWS::SES::EmailIdentity', 'EmailIdentity');
    return { id, properties: template.findResources('AWS::SES::EmailIdentity')[id].Properties };
  };
  const recordsOf = (template: Template, type: string) => resourcesOf(template, 'AWS::Route53::RecordSet').filter(([, r]) => r.Type === type).map(([, r]) => r);

  test('by default the identity is the service`s domain and the sender orders@ it', () => {
    expect(staging.config.mail.from).toBe('orders@orders.staging.example.com');
    expect(identityOf(staging.template).properties.EmailIdentity).toBe('orders.staging.example.com');
    expect(apiContainer(staging.template).Environment).toContainEqual({ Name: 'MAIL_FROM', Value: 'orders@orders.staging.example.com' });
  });

  test('when mailFrom names another domain of the zone, then that domain is the identity', () => {
    expect(identityOf(prod.template).properties.EmailIdentity).toBe('shop.test');
    expect(apiContainer(prod.template).Environment).toContainEqual({ Name: 'MAIL_FROM', Value: 'Shop <orders@shop.test>' });
  });

  test('DKIM signs with 2048-bit Easy DKIM keys, and its three CNAME records go into the hosted zone', () => {
    for (const [s, zone] of [[staging, 'Z0123456789EXAMPLE'], [prod, 'Z0PRODZONE1234']] as const) {
      // GIVEN the identity and the zone's CNAME records
      const { id, properties } = identityOf(s.template);
      expect(properties.DkimSigningAttributes).toEqual({ NextSigningKeyLength: 'RSA_2048_BIT' });
      expect(properties.DkimAttributes?.SigningEnabled).not.toBe(false);

      // THEN one record per DKIM token, named and valued by the identity's tokens
      expect(recordsOf(s.template, 'CNAME')).toEqual(
        [1, 2, 3].map((n) => ({
          HostedZoneId: zone,
          Name: { 'Fn::GetAtt': [id, `DkimDNSTokenName${n}`] },
          ResourceRecords: [{ 'Fn::GetAtt': [id, `DkimDNSTokenValue${n}`] }],
          TTL: '1800',
          Type: 'CNAME',
        })),
      );
    }
  });

  test('bounces go to a MAIL FROM subdomain with its MX and SPF records, so that SPF aligns too', () => {
    // GIVEN prod's identity
    const { properties } = identityOf(prod.template);

    // THEN SES uses bounce.<domain>, which points at SES's feedback servers and authorizes SES in SPF
    expect(properties.MailFromAttributes).toEqual({ MailFromDomain: 'bounce.shop.test', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' });
    expect(recordsOf(prod.template, 'MX')).toEqual([
      expect.objectContaining({ Name: 'bounce.shop.test.', HostedZoneId: 'Z0PRODZONE1234', ResourceRecords: ['10 feedback-smtp.us-east-1.amazonses.com'] }),
    ]);
    expect(recordsOf(prod.template, 'TXT')).toEqual([
      expect.objectContaining({ Name: 'bounce.shop.test.', ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'] }),
    ]);
  });

  test('only the worker may send email, and only as this identity', () => {
    for (const { template } of [staging, prod]) {
      // GIVEN every IAM statement of the stack that names an SES action
      const statements = resourcesOf(template, 'AWS::IAM::Policy').flatMap(([, policy]) =>
        policy.PolicyDocument.Statement.filter((st: { Action: string | string[] }) => [st.Action].flat().some((a) => a.startsWith('ses:'))).map(
          (st: object) => ({ st, roles: policy.Roles }),
        ),
      );

      // THEN one, on the worker's task role, for ses:SendEmail on the identity's ARN
      expect(statements).toHaveLength(1);
      expect(statements[0].roles).toEqual([{ Ref: logicalId(template, 'AWS::IAM::Role', 'WorkerTaskTaskRole') }]);
      expect(statements[0].st).toMatchObject({ Action: 'ses:SendEmail', Resource: { 'Fn::Join': ['', expect.arrayContaining([{ Ref: identityOf(template).id }])] } });
    }
  });
});

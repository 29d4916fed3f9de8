import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface EmailIdentityProps {
  /** The domain notifications are sent from (MAIL_FROM's); it must be inside hostedZone. */
  readonly domain: string;
  /** The public hosted zone that receives the DKIM and MAIL FROM records. */
  readonly hostedZone: route53.IPublicHostedZone;
  /**
   * The custom MAIL FROM (bounce) subdomain's first label, so that SPF aligns with the sender's domain.
   * @default 'bounce'
   */
  readonly mailFromLabel?: string;
}

/**
 * The SES domain identity notifications are sent as: Easy DKIM (2048-bit) with its three CNAME
 * records in the hosted zone, and a custom MAIL FROM subdomain with its MX and SPF records, so
 * that both DKIM and SPF align with the sender's domain for DMARC.
 */
export class EmailIdentity extends Construct {
  readonly identity: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: EmailIdentityProps) {
    super(scope, id);
    const zoneName = props.hostedZone.zoneName;
    if (props.domain !== zoneName && !props.domain.endsWith(`.${zoneName}`)) {
      throw new Error(`EmailIdentity needs ${props.domain} to be inside the hosted zone ${zoneName}, which receives its DKIM records.`);
    }

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      // Identity.publicHostedZone would verify the zone's apex; this verifies the sender's own
      // domain and still writes its records into the zone.
      identity: { value: props.domain, hostedZone: props.hostedZone },
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain: `${props.mailFromLabel ?? 'bounce'}.${props.domain}`,
      // Should the MX record go missing, SES falls back to its own MAIL FROM rather than refusing to send.
      mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });
  }

  /**
   * Lets a sender use this identity and no other: ses:SendEmail, the one action of SES v2's
   * SendEmail whatever its content (simple, raw or templated).
   */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return this.identity.grant(grantee, 'ses:SendEmail');
  }
}

import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { generateIngestKey } from '@/lib/auth/ingest-key-format';
import { CREDENTIAL_SHAPES, redactText } from '@/lib/events/secret-scanner';

/** A deterministic string of `n` characters from `chars`, different per `seed`. */
function run(chars: string, n: number, seed = 3): string {
  let text = '';
  for (let i = 0; i < n; i++) text += chars[(i * 7 + seed * 13 + i * i) % chars.length];
  return text;
}
const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';
const ALNUM = `${LOWER}${UPPER}${DIGITS}`;
const lower = (n: number) => run(LOWER + DIGITS, n);
const upper = (n: number) => run(UPPER + DIGITS, n);
const hex = (n: number) => run(HEX, n);
const alnum = (n: number) => run(ALNUM, n);
const word = (n: number) => run(`${ALNUM}_-`, n);
const b64 = (n: number) => run(`${ALNUM}+/`, n);
const letters = (n: number) => run(LOWER + UPPER, n);
const uuidish = () => `${lower(8)}-${lower(4)}-${lower(4)}-${lower(4)}-${lower(12)}`;

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT = `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url({ sub: 'alice', exp: 1_800_000_000 })}.c2lnbmF0dXJlLWJ5dGVz`;
const INGEST_KEY = generateIngestKey().key;
const PEM = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA${b64(64)}\n${b64(64)}\n-----END RSA PRIVATE KEY-----`;

/**
 * One leaked credential per shape of the catalogue, inside the kind of text it
 * leaks in: [shape id, text, the secret that must disappear].
 */
const SAMPLES: [string, string, string][] = [
  ['jwt', `curl/8.0 (debug: ${JWT})`, JWT],
  ['bearer', 'Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA', '2YotnFZFEjr1zCsicMWpAA'],
  ['basic', 'header Basic dXNlcjpodW50ZXIy sent', 'dXNlcjpodW50ZXIy'],
  ['authwatch-ingest-key', `key ${INGEST_KEY} leaked`, INGEST_KEY],
  ['private-key', `config: ${PEM}`, 'MIIEowIBAAKCAQEA'],
  ['secret-assignment', '{"user":"alice","password":"Hunter2-x"}', 'Hunter2-x'],
  ['query-credential', 'GET /callback?state=1&code=SplxlOBeZQQYbYS6WxSbIA', 'SplxlOBeZQQYbYS6WxSbIA'],
  ['url-credentials', 'fetch https://svc:s3cr3t-pw@api.example/x', 's3cr3t-pw'],
  ['1password-secret-key', `k A3-${upper(6)}-${upper(11)}-${upper(5)}-${upper(5)}-${upper(5)} x`, `A3-${upper(6)}`],
  ['1password-service-account-token', `ops_eyJ${b64(250)}`, b64(250)],
  ['adobe-client-secret', `p8e-${lower(32)} x`, `p8e-${lower(32)}`],
  ['age-secret-key', `AGE-SECRET-KEY-1${run('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`, run('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)],
  ['airtable-personnal-access-token', `airtable pat${alnum(14)}.${hex(64)} x`, hex(64)],
  ['alibaba-access-key-id', `LTAI${lower(20)} x`, `LTAI${lower(20)}`],
  ['anthropic-admin-api-key', `sk-ant-admin01-${word(93)}AA x`, word(93)],
  ['anthropic-api-key', `sk-ant-api03-${word(93)}AA x`, word(93)],
  ['artifactory-api-key', `AKCp${alnum(69)} x`, alnum(69)],
  ['artifactory-reference-token', `cmVmd${alnum(59)} x`, alnum(59)],
  ['authress-service-client-access-key', `sc_${lower(10)}.${lower(5)}.acc_${lower(20)}.${lower(40)} x`, lower(40)],
  ['aws-access-token', `AKIA${run('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)} x`, run('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)],
  ['aws-amazon-bedrock-api-key-long-lived', `ABSK${b64(120)} x`, b64(120)],
  ['aws-amazon-bedrock-api-key-short-lived', 'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t', 'YmVkcm9jay5hbWF6b25hd3MuY29t'],
  ['azure-ad-client-secret', `secret=abc1Q~${run(`${ALNUM}_~.-`, 32)} x`, run(`${ALNUM}_~.-`, 32)],
  ['clickhouse-cloud-api-secret-key', `4b1d${alnum(38)} x`, alnum(38)],
  ['clojars-api-token', `CLOJARS_${lower(60)}`, lower(60)],
  ['cloudflare-origin-ca-key', `v1.0-${hex(24)}-${hex(146)} x`, hex(146)],
  ['databricks-api-token', `dapi${hex(32)} x`, `dapi${hex(32)}`],
  ['digitalocean-access-token', `doo_v1_${hex(64)} x`, hex(64)],
  ['digitalocean-pat', `dop_v1_${hex(64)} x`, hex(64)],
  ['digitalocean-refresh-token', `dor_v1_${hex(64)} x`, hex(64)],
  ['doppler-api-token', `dp.pt.${lower(43)}`, lower(43)],
  ['duffel-api-token', `duffel_live_${lower(43)}`, lower(43)],
  ['dynatrace-api-token', `dt0c01.${lower(24)}.${lower(64)}`, lower(64)],
  ['easypost-api-token', `EZAK${lower(54)} x`, lower(54)],
  ['easypost-test-api-token', `EZTK${lower(54)} x`, lower(54)],
  ['facebook-access-token', `facebook ${run(DIGITS, 15)}|${lower(30)} x`, lower(30)],
  ['facebook-page-access-token', `EAAM${lower(100)} x`, lower(100)],
  ['flutterwave-encryption-key', `FLWSECK_TEST-${run('abcdefgh0123456789', 12)}`, run('abcdefgh0123456789', 12)],
  ['flutterwave-public-key', `FLWPUBK_TEST-${run('abcdefgh0123456789', 32)}-X`, run('abcdefgh0123456789', 32)],
  ['flutterwave-secret-key', `FLWSECK_TEST-${run('abcdefgh0123456789', 32)}-X`, run('abcdefgh0123456789', 32)],
  ['flyio-access-token', `fo1_${word(43)} x`, word(43)],
  ['frameio-api-token', `fio-u-${lower(64)}`, lower(64)],
  ['gcp-api-key', `AIza${word(35)} x`, word(35)],
  ['github-app-token', `ghs_${alnum(36)}`, alnum(36)],
  ['github-fine-grained-pat', `github_pat_${run(`${ALNUM}_`, 82)}`, run(`${ALNUM}_`, 82)],
  ['github-oauth', `gho_${alnum(36)}`, alnum(36)],
  ['github-pat', `token=ghp_${alnum(36)}`, alnum(36)],
  ['github-refresh-token', `ghr_${alnum(36)}`, alnum(36)],
  ['gitlab-cicd-job-token', `glcbt-${alnum(3)}_${alnum(20)}`, alnum(20)],
  ['gitlab-deploy-token', `gldt-${alnum(20)}`, alnum(20)],
  ['gitlab-feature-flag-client-token', `glffct-${alnum(20)}`, alnum(20)],
  ['gitlab-feed-token', `glft-${alnum(20)}`, alnum(20)],
  ['gitlab-incoming-mail-token', `glimt-${alnum(25)}`, alnum(25)],
  ['gitlab-kubernetes-agent-token', `glagent-${alnum(50)}`, alnum(50)],
  ['gitlab-oauth-app-secret', `gloas-${alnum(64)}`, alnum(64)],
  ['gitlab-pat', `glpat-${alnum(20)}`, alnum(20)],
  ['gitlab-pat-routable', `glpat-${alnum(27)}.${lower(9)} x`, alnum(27)],
  ['gitlab-ptt', `glptt-${hex(40)}`, hex(40)],
  ['gitlab-rrt', `GR1348941${alnum(20)}`, alnum(20)],
  ['gitlab-runner-authentication-token', `glrt-${alnum(20)}`, alnum(20)],
  ['gitlab-runner-authentication-token-routable', `glrt-t1_${alnum(27)}.${lower(9)} x`, alnum(27)],
  ['gitlab-scim-token', `glsoat-${alnum(20)}`, alnum(20)],
  ['gitlab-session-cookie', `_gitlab_session=${lower(32)}`, lower(32)],
  ['grafana-api-key', `eyJrIjoi${alnum(70)} x`, alnum(70)],
  ['grafana-cloud-api-token', `glc_${alnum(32)} x`, alnum(32)],
  ['grafana-service-account-token', `glsa_${alnum(32)}_${hex(8)} x`, alnum(32)],
  ['harness-api-key', `pat.${word(22)}.${alnum(24)}.${alnum(20)}`, alnum(24)],
  ['hashicorp-tf-api-token', `${lower(14)}.atlasv1.${lower(60)}`, lower(60)],
  ['heroku-api-key-v2', `HRKU-AA${word(58)} x`, word(58)],
  ['huggingface-access-token', `hf_${letters(34)} x`, letters(34)],
  ['huggingface-organization-api-token', `api_org_${letters(34)} x`, letters(34)],
  ['infracost-api-token', `ico-${alnum(32)} x`, alnum(32)],
  ['intra42-client-secret', `s-s4t2ud-${hex(64)} x`, hex(64)],
  ['linear-api-key', `lin_api_${lower(40)}`, lower(40)],
  ['maxmind-license-key', `${alnum(6)}_${alnum(29)}_mmk x`, alnum(29)],
  [
    'microsoft-teams-webhook',
    `https://${lower(8)}.webhook.office.com/webhookb2/${uuidish()}@${uuidish()}/IncomingWebhook/${lower(32)}/${uuidish()}`,
    `/IncomingWebhook/${lower(32)}`,
  ],
  ['notion-api-token', `ntn_${run(DIGITS, 11)}${alnum(35)} x`, alnum(35)],
  ['npm-access-token', `npm_${lower(36)} x`, lower(36)],
  ['octopus-deploy-api-key', `API-${upper(26)} x`, upper(26)],
  ['openai-api-key', `sk-${alnum(20)}T3BlbkFJ${alnum(20)} x`, 'T3BlbkFJ'],
  ['openshift-user-token', `sha256~${word(43)} x`, word(43)],
  ['perplexity-api-key', `pplx-${alnum(48)} x`, alnum(48)],
  ['planetscale-api-token', `pscale_tkn_${lower(32)} x`, lower(32)],
  ['planetscale-oauth-token', `pscale_oauth_${lower(32)} x`, lower(32)],
  ['planetscale-password', `pscale_pw_${lower(32)} x`, lower(32)],
  ['postman-api-token', `PMAK-${hex(24)}-${hex(34)} x`, hex(34)],
  ['prefect-api-token', `pnu_${alnum(36)} x`, alnum(36)],
  ['pulumi-api-token', `pul-${hex(40)} x`, hex(40)],
  ['pypi-upload-token', `pypi-AgEIcHlwaS5vcmc${word(50)}`, word(50)],
  ['readme-api-token', `rdme_${lower(70)} x`, lower(70)],
  ['rubygems-api-token', `rubygems_${hex(48)} x`, hex(48)],
  ['scalingo-api-token', `tk-us-${word(48)} x`, word(48)],
  ['sendgrid-api-token', `SG.${lower(66)} x`, lower(66)],
  ['sendinblue-api-token', `xkeysib-${hex(64)}-${lower(16)} x`, hex(64)],
  ['sentry-org-token', `sntrys_eyJpYXQiO${b64(10)}LCJyZWdpb25fdXJs${b64(10)}_${b64(43)} x`, b64(43)],
  ['sentry-user-token', `sntryu_${hex(64)} x`, hex(64)],
  ['settlemint-application-access-token', `sm_aat_${alnum(16)} x`, alnum(16)],
  ['settlemint-personal-access-token', `sm_pat_${alnum(16)} x`, alnum(16)],
  ['settlemint-service-access-token', `sm_sat_${alnum(16)} x`, alnum(16)],
  ['shippo-api-token', `shippo_live_${hex(40)} x`, hex(40)],
  ['shopify-access-token', `shpat_${hex(32)}`, hex(32)],
  ['shopify-custom-access-token', `shpca_${hex(32)}`, hex(32)],
  ['shopify-private-app-access-token', `shppa_${hex(32)}`, hex(32)],
  ['shopify-shared-secret', `shpss_${hex(32)}`, hex(32)],
  ['sidekiq-sensitive-url', `https://${hex(8)}:${run(HEX, 8, 5)}@gems.contribsys.com/`, run(HEX, 8, 5)],
  ['slack-app-token', `xapp-1-A${upper(10)}-${run(DIGITS, 13)}-${lower(20)}`, lower(20)],
  ['slack-bot-token', `xoxb-${run(DIGITS, 11)}-${run(DIGITS, 12)}-${alnum(24)}`, alnum(24)],
  ['slack-config-access-token', `xoxe.xoxb-1-${upper(163)}`, upper(163)],
  ['slack-config-refresh-token', `xoxe-1-${upper(146)}`, upper(146)],
  ['slack-legacy-bot-token', `xoxb-${run(DIGITS, 10)}-${letters(24)}`, letters(24)],
  ['slack-legacy-token', `xoxs-${run(DIGITS, 9)}-${run(DIGITS, 9)}-${run(DIGITS, 9)}-${hex(20)}`, hex(20)],
  ['slack-legacy-workspace-token', `xoxa-2-${alnum(30)}`, alnum(30)],
  ['slack-user-token', `xoxp-${run(DIGITS, 11)}-${run(DIGITS, 11)}-${run(DIGITS, 12)}-${alnum(32)}`, alnum(32)],
  ['slack-webhook-url', `https://hooks.slack.com/services/${b64(44)}`, b64(44)],
  ['square-access-token', `sq0atp-${word(22)} x`, word(22)],
  ['stripe-access-token', `sk_live_${alnum(24)} x`, alnum(24)],
  ['twilio-api-key', `SK${hex(32)}`, hex(32)],
  ['vault-batch-token', `hvb.${word(138)} x`, word(138)],
  ['vault-service-token', `hvs.${word(90)} x`, word(90)],
];

describe('the credential catalogue', () => {
  it('has a sample for every shape, and no sample for a shape it lacks', () => {
    expect(SAMPLES.map(([id]) => id).sort()).toEqual(CREDENTIAL_SHAPES.map((shape) => shape.id).sort());
  });

  it.each(SAMPLES)('recognises %s and redacts it', (id, text, secret) => {
    const shape = CREDENTIAL_SHAPES.find((candidate) => candidate.id === id)!;
    expect(new RE2(shape.regex).test(text)).toBe(true);
    expect(shape.keywords.some((keyword) => text.toLowerCase().includes(keyword))).toBe(true);
    const result = redactText(text);
    expect(result.redactions).toBeGreaterThanOrEqual(1);
    expect(result.value).toContain('[REDACTED:');
    expect(result.value).not.toContain(secret);
  });

});

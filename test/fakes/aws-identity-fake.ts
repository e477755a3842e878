import { LoopbackServer, sendJson } from './loopback-server';

/** Credentials the fake hands out. */
export const ASSUMED_ROLE_KEY_ID = 'ASIAFAKEROLE00000001';
export const SSO_ROLE_KEY_ID = 'ASIAFAKESSO000000001';

/**
 * The two AWS identity services behind profiles, as one loopback server:
 * STS AssumeRole (AWS Query protocol: a form-encoded POST, an XML answer) for role profiles, and
 * the SSO portal's GetRoleCredentials (GET /federation/credentials with the SSO bearer token)
 * for SSO profiles. Point the SDK at it with AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_SSO.
 */
export function createAwsIdentityFake(options: { sourceKeyId: string; ssoToken: string }): LoopbackServer {
  return new LoopbackServer((request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (request.method === 'GET' && url.pathname === '/federation/credentials') {
      if (request.headers['x-amz-sso_bearer_token'] !== options.ssoToken) {
        sendJson(response, 401, { message: 'Session token not found or invalid' }, { 'x-amzn-errortype': 'UnauthorizedException' });
        return;
      }
      sendJson(response, 200, {
        roleCredentials: {
          accessKeyId: SSO_ROLE_KEY_ID,
          secretAccessKey: 'fakeSsoRoleSecret0123456789',
          sessionToken: 'fakeSsoRoleSessionToken',
          expiration: Date.UTC(2099, 0, 1),
        },
      });
      return;
    }
    const form = new URLSearchParams(body);
    if (request.method === 'POST' && form.get('Action') === 'AssumeRole') {
      const credential = /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1];
      response.setHeader('content-type', 'text/xml');
      if (credential !== options.sourceKeyId) {
        response.statusCode = 403;
        response.end(
          '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>fake</RequestId></ErrorResponse>',
        );
        return;
      }
      const role = form.get('RoleArn') ?? '';
      response.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${ASSUMED_ROLE_KEY_ID}</AccessKeyId><SecretAccessKey>fakeAssumedRoleSecret0123</SecretAccessKey><SessionToken>fakeAssumedRoleSessionToken</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE:atelier</AssumedRoleId><Arn>${role.replace(':role/', ':assumed-role/')}/atelier</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
      return;
    }
    sendJson(response, 404, { message: `Unknown request ${request.method} ${url.pathname}` });
  });
}

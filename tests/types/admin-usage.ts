// Type-checks `cognito-wasm/admin` as a back end uses it (tsc -p tests/types,
// against the packed package). The @ts-expect-error lines must fail to compile.
import { CognitoAdmin, type CognitoAdminError, type UserPoolClientType } from 'cognito-wasm/admin';

export async function adminFlow(): Promise<string | undefined> {
  const admin = new CognitoAdmin({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' },
    endpoint: 'http://127.0.0.1:9229',
    requestTimeout: 10_000,
    maxAttempts: 2,
  });
  const created = await admin.createUserPoolClient({
    signal: AbortSignal.timeout(5_000),
    UserPoolId: 'us-east-1_Pool',
    ClientName: 'back end',
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    PreventUserExistenceErrors: 'ENABLED',
    AllowedOAuthFlows: ['code'],
    TokenValidityUnits: { AccessToken: 'minutes' },
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
  });
  await admin.createUserPoolClient({ UserPoolId: 'us-east-1_Pool', ClientName: 'own secret', ClientSecret: 'a'.repeat(24) });
  const client: UserPoolClientType | undefined = created.UserPoolClient;
  const createdAt: number | undefined = client?.CreationDate?.getTime();
  const output = await admin.adminInitiateAuth({
    UserPoolId: 'us-east-1_Pool',
    ClientId: client?.ClientId ?? '',
    AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: 'alice', PASSWORD: 'pw' },
    ContextData: { IpAddress: '1.2.3.4', ServerName: 's', ServerPath: '/', HttpHeaders: [{ headerName: 'a', headerValue: 'b' }] },
  });
  const device = output.AuthenticationResult?.NewDeviceMetadata?.DeviceKey;
  const choices: string[] | undefined = output.AvailableChallenges;
  if (output.ChallengeName === 'SMS_MFA' || output.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    const answer: Record<string, string> = output.ChallengeName === 'SMS_MFA' ? { SMS_MFA_CODE: '123456' } : { NEW_PASSWORD: 'new' };
    await admin.adminRespondToAuthChallenge({
      UserPoolId: 'us-east-1_Pool',
      ClientId: 'c',
      ChallengeName: output.ChallengeName,
      Session: output.Session,
      ChallengeResponses: { USERNAME: 'alice', ...answer },
      ClientMetadata: { step: 'challenge' },
    });
  }
  try {
    // @ts-expect-error ADMIN_NO_SRP_AUTH is not an InitiateAuth flow
    await admin.initiateAuth({ AuthFlow: 'ADMIN_NO_SRP_AUTH', ClientId: 'c' });
  } catch (error) {
    return (error as CognitoAdminError).name + String(createdAt) + device + String(choices);
  }
  // @ts-expect-error ContextData needs ServerPath
  await admin.adminInitiateAuth({ UserPoolId: 'p', ClientId: 'c', AuthFlow: 'CUSTOM_AUTH', ContextData: { IpAddress: '1', ServerName: 's', HttpHeaders: [] } });
  // @ts-expect-error RefreshTokenRotation needs Feature
  await admin.updateUserPoolClient({ UserPoolId: 'p', ClientId: 'c', RefreshTokenRotation: { RetryGracePeriodSeconds: 1 } });
  // @ts-expect-error credentials are required
  new CognitoAdmin({ region: 'us-east-1' });
  return undefined;
}

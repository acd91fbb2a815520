import { redirect } from 'next/navigation';
import { viewerSession } from '@/lib/http/page-access';
import { safeReturnPath } from '@/lib/http/request-meta';
import { SignInForm } from './sign-in-form';

export const metadata = { title: 'Sign in · authwatch' };

/** /login: open to anyone; a signed-in visitor goes straight on. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeReturnPath(typeof params.next === 'string' ? params.next : null);
  if ((await viewerSession()).status === 'active') redirect(next);
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm next={next} expired={params.expired === '1'} />
    </>
  );
}

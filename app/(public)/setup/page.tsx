import { SetupForm } from './setup-form';

export const metadata = { title: 'Set your password · authwatch' };

/** /setup#awl_…: a one-time setup link. The token stays in the fragment, which no server sees; the form posts it. */
export default function SetupPage() {
  return <SetupForm />;
}

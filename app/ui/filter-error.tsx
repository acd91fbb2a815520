import Link from 'next/link';

/** Filters in the URL that cannot be read: what is wrong, and the way back to none. */
export function FilterError({ message, clearHref }: { message: string; clearHref: string }) {
  return (
    <p role="alert">
      These filters cannot be read: {message}. <Link href={clearHref}>Clear all filters</Link>
    </p>
  );
}

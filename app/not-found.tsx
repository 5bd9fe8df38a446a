import Link from "next/link";

export default function NotFoundPage() {
  return (
    <div className="mx-auto max-w-md px-6 py-24 text-center">
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        It does not exist, or you do not have access to it.
      </p>
      <Link
        href="/"
        className="mt-6 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
      >
        Back to your projects
      </Link>
    </div>
  );
}

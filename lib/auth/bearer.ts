/** The credential of an `Authorization: Bearer <credential>` header, or undefined for anything else. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
}

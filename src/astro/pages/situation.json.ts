// What the live view looks up about a firing alert (its runbook page, service, owner and type).
// A static file; pages fetch it only when site.alertmanager is set.
import { findSiteEntry } from '../data.ts';
import { SITUATION_ID } from '../../lib/site/astro-loader.ts';

export async function GET(): Promise<Response> {
  const situation = await findSiteEntry(SITUATION_ID, 'situation');
  return new Response(JSON.stringify(situation?.live ?? { alerts: {} }), { headers: { 'content-type': 'application/json' } });
}

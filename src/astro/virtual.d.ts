// The module the runbooks/astro integration generates (src/astro/integration.ts).
declare module 'virtual:runbooks/data' {
  const data: import('./data.ts').SiteData;
  export default data;
}
declare module 'virtual:runbooks/team-styles' {}

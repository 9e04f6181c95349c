import { defineCheck } from './define.ts';
import { exampleProject, exampleRunbook } from './examples.ts';
import { scopesOf, type Scope } from './sections.ts';

/** What each of the default sections is for, to say so when one is missing. */
const SECTION_PURPOSE: Record<string, string> = {
  meaning: 'what the alert means, in plain words',
  impact: 'who or what is affected while it fires',
  diagnosis: 'the steps and queries that find the cause',
  mitigation: 'the steps that stop the impact',
};

/** Each distinct required section (lower case) as one bit, and all of them; undefined when there are too many for one number. */
function sectionBits(required: readonly string[]): Wanted | undefined {
  const bits = new Map<string, number>();
  const asWritten = new Map<string, number>();
  for (const section of required) {
    if (!bits.has(section.toLowerCase())) bits.set(section.toLowerCase(), 1 << bits.size);
    asWritten.set(section, bits.get(section.toLowerCase()) as number);
  }
  return bits.size > 30 ? undefined : { bits, asWritten, all: (1 << bits.size) - 1 };
}

interface Wanted {
  /** Lower-cased section name → its bit. */
  bits: Map<string, number>;
  /** The names as the config writes them, which most headings match without lower-casing. */
  asWritten: Map<string, number>;
  all: number;
}

/** Whether a scope has every required section at its level: most do, and need no finding worked out. */
function holdsAll(scope: Scope, wanted: Wanted): boolean {
  let found = 0;
  for (const heading of scope.headings) {
    if (heading.depth !== scope.level) continue;
    const bit = wanted.asWritten.get(heading.text) ?? wanted.bits.get(heading.text.toLowerCase());
    if (bit === undefined) continue;
    found |= bit;
    if (found === wanted.all) return true;
  }
  return false;
}

export default defineCheck({
  id: 'required-sections',
  severity: 'error',
  description: 'Every runbook has the H2 sections the config requires (default: Meaning, Impact, Diagnosis, Mitigation).',
  docs: {
    rationale:
      'A fixed shape lets a responder jump straight to Mitigation at 3 a.m., and lets authors see at a glance what a runbook lacks.',
    findingsIn: 'line',
    options: { sections: 'Set with `requiredSections` at the top of the config, not here.' },
    examples: {
      failing: {
        note: 'The runbook has no Mitigation section.',
        files: exampleProject({ 'runbooks/ApiDown.md': exampleRunbook({ sections: { Mitigation: null } }) }),
      },
      passing: { note: 'Meaning, Impact, Diagnosis and Mitigation, each an H2.', files: exampleProject() },
    },
  },
  eachRunbook({ project }) {
    const required = project.config.requiredSections;
    const wanted = sectionBits(required);
    return (runbook, report) => {
      if (required.length === 0 || runbook.lines === 0) return;
      // Each alert's section of a one-file-many runbook (match: heading) has its own sub-sections.
      for (const scope of scopesOf(project, runbook)) {
        if (wanted && holdsAll(scope, wanted)) continue;
        const marks = '#'.repeat(scope.level);
        const present = new Set(scope.headings.filter((h) => h.depth === scope.level).map((h) => h.text.toLowerCase()));
        const anchor = scope.heading ?? runbook.headings.find((h) => h.depth === 1) ?? runbook.headings[0];
        const at = anchor ? { line: anchor.line, column: anchor.column } : { line: runbook.frontmatter?.at.endLine ?? 1, column: 1 };
        const of = scope.alert ? ` in the section of alert "${scope.alert}"` : '';
        for (const section of required) {
          if (present.has(section.toLowerCase())) continue;
          const elsewhere = scope.headings.find((h) => h.depth !== scope.level && h.text.toLowerCase() === section.toLowerCase());
          const purpose = SECTION_PURPOSE[section.toLowerCase()];
          report({
            at: { file: runbook.file, ...(elsewhere ? { line: elsewhere.line, column: elsewhere.column } : at) },
            key: scope.alert ? `${scope.alert}/${section}` : section,
            message: elsewhere
              ? `Section "${section}" is a level-${elsewhere.depth} heading; it must be "${marks} ${section}"${of}`
              : `Missing required section "${marks} ${section}"${of}`,
            hint: elsewhere
              ? `Change the heading to \`${marks} ${section}\`.`
              : `Add a \`${marks} ${section}\` section${purpose ? ` with ${purpose}` : ''}${scope.heading ? ` under "${scope.heading.text}"` : ''}.`,
          });
        }
      }
    };
  },
});

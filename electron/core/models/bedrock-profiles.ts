import fs from 'node:fs/promises';
import path from 'node:path';
import { bedrockCatalogue, type BedrockModel } from './bedrock-catalogue';
import { stripByteOrderMark } from '../../../shared/text';
import { fileWriteError, writeFileAtomically } from '../store/atomic-file';
import { preparePrivateDataDir } from '../store/data-folder';

/** Geography prefixes of cross-region inference profiles. `global` is only ever the user's choice. */
const GEO_PREFIX = /^(eu|us|us-gov|apac|jp|au|ca|global)\./;

export function hasProfilePrefix(modelId: string): boolean {
  return GEO_PREFIX.test(modelId);
}

/**
 * The profile geography for a region: eu-* → eu, us-* → us, ap-* → apac, or jp / au in Tokyo
 * and Sydney where the model has those. Never `global`: a global profile may route anywhere.
 */
export function profileGeography(region: string, model?: BedrockModel): string | null {
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('us-')) return 'us';
  if (region === 'ap-northeast-1' && model?.profiles.includes('jp')) return 'jp';
  if (region === 'ap-southeast-2' && model?.profiles.includes('au')) return 'au';
  if (region.startsWith('ap-')) return 'apac';
  return null;
}

export interface ResolvedModelId {
  modelId: string;
  /** `as-given`: sent as the user wrote it; `catalogue`: Atelier knew the profile; `learned`: a remembered fix. */
  via: 'as-given' | 'catalogue' | 'learned';
}

/**
 * What to send for a Bedrock model id in a region: ids with a geography prefix go as they are;
 * a bare id gets the region's profile when a remembered fix or the catalogue says it needs one.
 */
export function resolveBedrockModelId(modelId: string, region: string, fixes: ProfileFixes | null): ResolvedModelId {
  if (hasProfilePrefix(modelId) || modelId.startsWith('arn:')) return { modelId, via: 'as-given' };
  const learned = fixes?.get(region, modelId);
  if (learned) return { modelId: learned, via: 'learned' };
  const known = bedrockCatalogue.find((model) => model.id === modelId);
  if (known && !known.inRegion) {
    const geography = profileGeography(region, known);
    if (geography && known.profiles.includes(geography)) return { modelId: `${geography}.${modelId}`, via: 'catalogue' };
  }
  return { modelId, via: 'as-given' };
}

export interface ProfileFix {
  region: string;
  baseModelId: string;
  profileModelId: string;
  learnedAt: string;
}

/**
 * Fixes Atelier learned: a bare model id that Bedrock refused on demand in a region, and the
 * profile id that worked. Kept in the data folder (bedrock-profiles.json), shown in
 * `atelier models`, used before sending next time.
 */
export class ProfileFixes {
  private constructor(
    private readonly file: string,
    private fixes: ProfileFix[],
  ) {}

  static async open(dataDir: string): Promise<ProfileFixes> {
    const file = path.join(dataDir, 'bedrock-profiles.json');
    let fixes: ProfileFix[] = [];
    try {
      const data = JSON.parse(stripByteOrderMark(await fs.readFile(file, 'utf8'))) as { fixes?: unknown };
      if (Array.isArray(data.fixes)) fixes = data.fixes.filter(isFix);
    } catch {
      // none yet, or unreadable: learning starts again, nothing depends on it
    }
    return new ProfileFixes(file, fixes);
  }

  /** The folder the fixes are kept in (the data folder): other Bedrock caches live beside them. */
  get dataDir(): string {
    return path.dirname(this.file);
  }

  get(region: string, baseModelId: string): string | null {
    return this.fixes.find((fix) => fix.region === region && fix.baseModelId === baseModelId)?.profileModelId ?? null;
  }

  list(): readonly ProfileFix[] {
    return this.fixes;
  }

  async remember(region: string, baseModelId: string, profileModelId: string): Promise<void> {
    this.fixes = [...this.fixes.filter((fix) => !(fix.region === region && fix.baseModelId === baseModelId)), { region, baseModelId, profileModelId, learnedAt: new Date().toISOString() }];
    try {
      preparePrivateDataDir(path.dirname(this.file));
      await writeFileAtomically(this.file, `${JSON.stringify({ fixes: this.fixes }, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw fileWriteError(this.file, error);
    }
  }
}

function isFix(value: unknown): value is ProfileFix {
  const fix = value as Partial<ProfileFix> | null;
  return typeof fix?.region === 'string' && typeof fix.baseModelId === 'string' && typeof fix.profileModelId === 'string' && typeof fix.learnedAt === 'string';
}

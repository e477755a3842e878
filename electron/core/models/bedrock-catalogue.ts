/**
 * Bedrock chat models Atelier offers, with the geographies that have a cross-region inference
 * profile for each, as known when this was written (from AWS's Bedrock user guide: "Supported
 * foundation models" and "Supported Regions and models for inference profiles"). AWS adds
 * models and profiles often: check those pages when updating, and prefer the live profile list
 * (ListInferenceProfiles), which `atelier models` does where credentials and the tier allow
 * (bedrock-listing.ts); this list is the fallback. `inRegion`: the base id can be called on
 * demand without a profile. Deprecations are in lifecycle.ts.
 */
export interface BedrockModel {
  /** The base model id, without a geography prefix. */
  id: string;
  name: string;
  family: 'claude' | 'llama' | 'mistral' | 'nova';
  /** Geographies with an inference profile: `eu`, `us`, `apac`, `jp`, `au`, `global`. */
  profiles: readonly string[];
  inRegion: boolean;
  images: boolean;
}

export const bedrockCatalogue: readonly BedrockModel[] = [
  // Current Claude models first (the price table's, checked 2026-12-01); older ones stay for ids in use.
  { id: 'anthropic.claude-sonnet-4-6', name: 'Claude Sonnet 4.6', family: 'claude', profiles: ['eu', 'us', 'apac', 'jp', 'au', 'global'], inRegion: false, images: true },
  { id: 'anthropic.claude-opus-4-6-v1', name: 'Claude Opus 4.6', family: 'claude', profiles: ['eu', 'us', 'apac', 'global'], inRegion: false, images: true },
  { id: 'anthropic.claude-sonnet-4-5-20250929-v1:0', name: 'Claude Sonnet 4.5', family: 'claude', profiles: ['eu', 'us', 'apac', 'jp', 'au', 'global'], inRegion: false, images: true },
  { id: 'anthropic.claude-haiku-4-5-20251001-v1:0', name: 'Claude Haiku 4.5', family: 'claude', profiles: ['eu', 'us', 'apac', 'jp', 'au', 'global'], inRegion: false, images: true },
  { id: 'anthropic.claude-opus-4-1-20250805-v1:0', name: 'Claude Opus 4.1', family: 'claude', profiles: ['us'], inRegion: false, images: true },
  { id: 'anthropic.claude-sonnet-4-20250514-v1:0', name: 'Claude Sonnet 4', family: 'claude', profiles: ['eu', 'us', 'apac', 'global'], inRegion: false, images: true },
  { id: 'anthropic.claude-3-7-sonnet-20250219-v1:0', name: 'Claude 3.7 Sonnet', family: 'claude', profiles: ['eu', 'us', 'apac'], inRegion: false, images: true },
  { id: 'anthropic.claude-3-haiku-20240307-v1:0', name: 'Claude 3 Haiku', family: 'claude', profiles: ['eu', 'us', 'apac'], inRegion: true, images: true },
  { id: 'meta.llama3-3-70b-instruct-v1:0', name: 'Llama 3.3 70B Instruct', family: 'llama', profiles: ['us'], inRegion: false, images: false },
  { id: 'meta.llama3-2-3b-instruct-v1:0', name: 'Llama 3.2 3B Instruct', family: 'llama', profiles: ['eu', 'us'], inRegion: false, images: false },
  { id: 'meta.llama4-maverick-17b-instruct-v1:0', name: 'Llama 4 Maverick 17B', family: 'llama', profiles: ['us'], inRegion: false, images: true },
  { id: 'mistral.mistral-large-2402-v1:0', name: 'Mistral Large (24.02)', family: 'mistral', profiles: [], inRegion: true, images: false },
  { id: 'mistral.pixtral-large-2502-v1:0', name: 'Pixtral Large (25.02)', family: 'mistral', profiles: ['eu', 'us'], inRegion: false, images: true },
  { id: 'amazon.nova-pro-v1:0', name: 'Amazon Nova Pro', family: 'nova', profiles: ['eu', 'us', 'apac'], inRegion: true, images: true },
  { id: 'amazon.nova-lite-v1:0', name: 'Amazon Nova Lite', family: 'nova', profiles: ['eu', 'us', 'apac'], inRegion: true, images: true },
  { id: 'amazon.nova-micro-v1:0', name: 'Amazon Nova Micro', family: 'nova', profiles: ['eu', 'us', 'apac'], inRegion: true, images: false },
];

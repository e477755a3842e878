import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ModelCatalogue, ModelChoice } from '../../shared/models';
import { RouteBadge } from './RouteBadge';

interface Option {
  key: string;
  /** The model chosen with this option; null for an information line (a provider's problem). */
  model: string | null;
  label: string;
  detail: string | null;
  choice: ModelChoice | null;
  disabled: boolean;
}

interface Group {
  key: string;
  label: string;
  options: Option[];
}

/** Providers' names as people write them; custom endpoints go by their prefix. */
export const PROVIDER_LABELS: Record<string, string> = { bedrock: 'AWS Bedrock', anthropic: 'Anthropic', openai: 'OpenAI', openrouter: 'OpenRouter' };

/**
 * The model picker: a filterable list grouped by provider, each model with where it sends words
 * (this computer, the EU, outside the EU) and, greyed out, why it cannot be chosen now. The roles
 * come first, with what they stand for on this machine and tier. Keyboard: type to filter,
 * arrows to move, Enter to choose, Esc to close.
 */
export function ModelPicker({ catalogue, value, onChange, onOpen }: { catalogue: ModelCatalogue | null; value: string | null; onChange: (model: string) => void; onOpen: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  // The highlighted option, by key, so it stays put when the list refreshes.
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const popover = useRef<HTMLDivElement>(null);
  const ids = { listbox: useId(), filter: useId() };

  const current = useMemo(() => catalogue?.groups.flatMap((group) => group.models).find((model) => model.id === value) ?? null, [catalogue, value]);

  const groups = useMemo((): Group[] => {
    if (!catalogue) return [];
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = (text: string) => words.every((word) => text.toLowerCase().includes(word));
    const byId = new Map(catalogue.groups.flatMap((group) => group.models.map((model) => [model.id, model] as const)));
    const roles: Group = {
      key: 'roles',
      label: t('picker.roles'),
      options: catalogue.roles
        .filter((role) => role.model !== null && matches(`${t(`picker.role_${role.role}`)} ${role.model}`))
        .map((role) => {
          const choice = byId.get(role.model ?? '') ?? null;
          return {
            key: `role-${role.role}`,
            model: role.model,
            label: `${t(`picker.role_${role.role}`)}: ${role.model}`,
            detail: role.available ? t(`picker.source_${role.source ?? 'hardware'}`) : (choice?.unavailable?.message ?? t('picker.roleUnavailable')),
            choice,
            disabled: !role.available,
          };
        }),
    };
    const providers = catalogue.groups.map((group): Group => {
      const options: Option[] = group.models
        .filter((model) => matches(`${model.id} ${model.name ?? ''}`))
        .map((model) => ({
          key: model.id,
          model: model.id,
          label: model.name ? `${model.name} (${model.id})` : model.id,
          detail: lifecycleDetail(model, t) ?? (model.unavailable ? model.unavailable.message : (model.note ?? null)),
          choice: model,
          disabled: !model.available,
        }));
      if (group.problem && words.length === 0) {
        options.unshift({ key: `${group.provider}-problem`, model: null, label: group.problem.message, detail: group.problem.hint ?? null, choice: null, disabled: true });
      }
      const label = group.provider === 'local' ? t('picker.local') : (PROVIDER_LABELS[group.provider] ?? group.provider);
      return { key: group.provider, label, options };
    });
    return [roles, ...providers].filter((group) => group.options.length > 0);
  }, [catalogue, filter, t]);

  const options = useMemo(() => groups.flatMap((group) => group.options), [groups]);

  const active = Math.max(0, options.findIndex((option) => option.key === activeKey));
  const setActive = (next: (index: number) => number) => setActiveKey(options[next(active)]?.key ?? null);

  useEffect(() => {
    if (!open) return;
    document.getElementById(`${ids.listbox}-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, open, ids.listbox]);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!popover.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const choose = (option: Option | undefined) => {
    if (!option || option.disabled || option.model === null) return;
    onChange(option.model);
    setOpen(false);
    setFilter('');
    button.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive((index) => Math.min(options.length - 1, index + 1));
    else if (event.key === 'ArrowUp') setActive((index) => Math.max(0, index - 1));
    else if (event.key === 'Home') setActive(() => 0);
    else if (event.key === 'End') setActive(() => options.length - 1);
    else if (event.key === 'Enter') choose(options[active]);
    else if (event.key === 'Escape') {
      setOpen(false);
      button.current?.focus();
    } else return;
    event.preventDefault();
  };

  let index = -1;
  return (
    <div className="model-picker">
      <button
        ref={button}
        type="button"
        className="button model-picker-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => {
          if (!open) {
            onOpen();
            setActiveKey(value);
          }
          setOpen(!open);
        }}
      >
        <span className="muted">{t('picker.model')}</span> <strong>{value ?? t('picker.none')}</strong>
        {current && <RouteBadge routeClass={current.routeClass} />}
      </button>
      {open && (
        <div ref={popover} className="model-picker-popover">
          <input
            id={ids.filter}
            className="model-picker-filter"
            role="combobox"
            aria-label={t('picker.filter')}
            aria-expanded="true"
            aria-controls={ids.listbox}
            aria-autocomplete="list"
            aria-activedescendant={options.length > 0 ? `${ids.listbox}-${active}` : undefined}
            placeholder={t('picker.filter')}
            value={filter}
            onChange={(event) => {
              setFilter(event.target.value);
              setActiveKey(null);
            }}
            onKeyDown={onKeyDown}
            autoFocus
          />
          {catalogue === null && <p className="muted">{t('picker.loading')}</p>}
          <div id={ids.listbox} role="listbox" aria-label={t('picker.models')} className="model-picker-list">
            {groups.map((group) => (
              <div key={group.key} role="group" aria-labelledby={`${ids.listbox}-${group.key}`}>
                <div id={`${ids.listbox}-${group.key}`} className="model-picker-group" role="presentation">
                  {group.label}
                </div>
                {group.options.map((option) => {
                  index += 1;
                  const at = index;
                  return (
                    <div
                      key={option.key}
                      id={`${ids.listbox}-${at}`}
                      role="option"
                      aria-selected={option.model === value && !option.key.startsWith('role-')}
                      aria-disabled={option.disabled}
                      className={`model-option${at === active ? ' model-option-active' : ''}${option.disabled ? ' model-option-disabled' : ''}`}
                      onMouseEnter={() => setActiveKey(option.key)}
                      onClick={() => choose(option)}
                    >
                      <span className="model-option-label">{option.label}</span>
                      {option.choice && <RouteBadge routeClass={option.choice.routeClass} />}
                      {option.choice?.takesImages && <span className="badge">{t('picker.images')}</span>}
                      {option.detail && <span className="model-option-detail">{option.detail}</span>}
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/** A retired or deprecated model in the UI's language: since when (or until when), and what to use instead. */
function lifecycleDetail(model: { lifecycle?: string | undefined; retiresOn?: string | undefined; successor?: string | undefined }, t: TFunction): string | null {
  if (model.lifecycle !== 'retired' && model.lifecycle !== 'deprecated') return null;
  const instead = model.successor ? t('picker.useInstead', { model: model.successor }) : '';
  if (model.lifecycle === 'retired') return `${t('picker.retired', { day: model.retiresOn ?? '?' })}${instead}`;
  return `${model.retiresOn ? t('picker.deprecatedUntil', { day: model.retiresOn }) : t('picker.deprecated')}${instead}`;
}

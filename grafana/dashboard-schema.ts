/**
 * The shape of authwatch's dashboard files (grafana/dashboards/*.json), built
 * from @grafana/schema. tests/observability/dashboard-schema.test.ts writes
 * each file into a TypeScript object literal that `satisfies AuthwatchDashboard`
 * and compiles it, so a wrong field type, a misspelled field or an unknown
 * enum value fails the test suite.
 *
 * Narrower than Grafana's own types where those say `unknown`: panels are the
 * kinds these dashboards use, with their plugin's options and field config;
 * targets are Prometheus queries; data links have their v2 shape.
 */
import type {
  Dashboard,
  DataQuery,
  DataSourceRef,
  FieldConfig,
  FieldConfigSource,
  GraphFieldConfig,
  Panel,
  TableFieldOptions,
} from '@grafana/schema';
import type { DataLink } from '@grafana/schema/apis/dashboard.grafana.app/v2';
import type { Options as TableOptions } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type { Options as TimeSeriesOptions } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/** A type as JSON spells it: string enums become the union of their values. */
export type AsJson<T> = T extends string
  ? `${T}`
  : T extends readonly (infer Item)[]
    ? AsJson<Item>[]
    : T extends object
      ? { [Key in keyof T]: AsJson<T[Key]> }
      : T;

/** A query of Grafana's Prometheus data source. */
export interface PrometheusTarget extends DataQuery {
  datasource: DataSourceRef;
  expr: string;
  legendFormat?: string;
  range: boolean;
  instant: boolean;
  format: 'time_series' | 'table' | 'heatmap';
  editorMode?: 'code' | 'builder';
  interval?: string;
}

type FieldDefaults<Custom> = Omit<FieldConfig<Custom>, 'links' | 'custom'> & { custom: Custom; links?: DataLink[] };

/** Override properties by id; `links` ones are typed, the rest are the field-config keys Grafana accepts. */
type OverrideProperty =
  | { id: 'links'; value: DataLink[] }
  | { id: 'unit' | 'decimals' | 'displayName' | 'min' | 'max' | 'color' | 'custom.width' | 'custom.align'; value: unknown };

type FieldOverride = { matcher: FieldConfigSource['overrides'][number]['matcher']; properties: OverrideProperty[] };

type PanelOf<Kind extends string, Options, Custom> = Omit<
  Panel,
  'type' | 'targets' | 'options' | 'fieldConfig' | 'datasource' | 'id' | 'title' | 'gridPos'
> & {
  id: number;
  type: Kind;
  title: string;
  gridPos: NonNullable<Panel['gridPos']>;
  datasource: DataSourceRef;
  targets: PrometheusTarget[];
  options: Options;
  fieldConfig: { defaults: FieldDefaults<Custom>; overrides: FieldOverride[] };
};

export type AuthwatchPanel =
  | PanelOf<'timeseries', TimeSeriesOptions, GraphFieldConfig>
  | PanelOf<'table', TableOptions, TableFieldOptions>;

export type AuthwatchDashboard = AsJson<
  Omit<Dashboard, 'panels' | 'uid' | 'title'> & { uid: string; title: string; panels: AuthwatchPanel[] }
>;

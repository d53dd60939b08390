// The aura.db rows an install holds once, as Aura writes them at setup: EF's migrations history, the
// system, setup, queue, analytics-retention and user settings, configuration keys and built-in templates.
import path from 'node:path';
import { EF_MIGRATIONS, EF_PRODUCT_VERSION } from './schema';
import { DAY_MS, efDate, type SeedContext } from './seed-db';

/** Write the install's one-off rows (the PRNG draws happen in this order: keep it for the same seed). */
export function putInstallRows(c: SeedContext): void {
  const { m, days, dbPath, ago, put } = c;
  const D = DAY_MS;
  put(
    '__EFMigrationsHistory',
    EF_MIGRATIONS.map((id) => ({ MigrationId: id, ProductVersion: EF_PRODUCT_VERSION })),
  );
  put('system_configuration', [
    {
      Id: 1,
      CreatedAt: efDate(ago(days * D)),
      FFmpegPath: null,
      IsSetupComplete: 1,
      OutputDirectory: path.join(path.dirname(dbPath), 'Projects'),
      UpdatedAt: efDate(ago(days * D)),
    },
  ]);
  put('user_setup', [
    {
      Id: m.guid(),
      Completed: 1,
      CompletedAt: efDate(ago(days * D)),
      LastStep: 6,
      SelectedTier: 'Pro',
      UpdatedAt: efDate(ago(days * D)),
      UserId: 'default',
      Version: '1.0.0',
      WizardState: '{"currentStep":6,"completed":true}',
    },
  ]);
  put('QueueConfiguration', [
    {
      Id: 'default',
      CpuThrottleThreshold: 85,
      EnableNotifications: 1,
      FailedJobRetentionDays: 90,
      IsEnabled: 1,
      JobHistoryRetentionDays: 30,
      MaxConcurrentJobs: 2,
      MemoryThrottleThreshold: 85,
      PauseOnBattery: 0,
      PollingIntervalSeconds: 5,
      RetryBaseDelaySeconds: 5,
      RetryMaxDelaySeconds: 300,
      UpdatedAt: efDate(ago(days * D)),
    },
  ]);
  put('AnalyticsRetentionSettings', [
    {
      Id: 'default',
      AggregateOldData: 1,
      AggregationThresholdDays: 30,
      AutoCleanupEnabled: 1,
      CleanupHourUtc: 2,
      CollectHardwareMetrics: 1,
      CostTrackingRetentionDays: 365,
      CreatedAt: efDate(ago(days * D)),
      CreatedBy: null,
      IsEnabled: 1,
      MaxDatabaseSizeMB: 500,
      ModifiedBy: null,
      PerformanceMetricsRetentionDays: 30,
      TrackSuccessOnly: 0,
      UpdatedAt: efDate(ago(days * D)),
      UsageStatisticsRetentionDays: 90,
    },
  ]);
  put('Settings', [
    {
      Id: 'user-settings',
      CreatedAt: efDate(ago(days * D)),
      CreatedBy: null,
      IsEncrypted: 0,
      ModifiedBy: null,
      SettingsJson: '{"theme":"dark","autoSave":true,"defaultTier":"Pro"}',
      UpdatedAt: efDate(ago(2 * D)),
      Version: '1.0',
    },
  ]);
  put('Configurations', [
    {
      Key: 'FFmpeg:ExecutablePath',
      Category: 'FFmpeg',
      CreatedAt: efDate(ago(days * D)),
      CreatedBy: 'default',
      Description: 'Path to ffmpeg',
      IsActive: 1,
      IsSensitive: 0,
      ModifiedBy: null,
      UpdatedAt: efDate(ago(days * D)),
      Value: '',
      ValueType: 'string',
      Version: 1,
    },
    {
      Key: 'Providers:OpenAI:ApiKey',
      Category: 'Providers',
      CreatedAt: efDate(ago(days * D)),
      CreatedBy: 'default',
      Description: null,
      IsActive: 1,
      IsSensitive: 1,
      ModifiedBy: null,
      UpdatedAt: efDate(ago(days * D)),
      Value: 'ENC:v1:6f1c…',
      ValueType: 'string',
      Version: 2,
    },
  ]);
  put(
    'templates',
    [0, 1, 2].map((i) => ({
      Id: m.guid(),
      Author: 'Aura',
      Category: ['Education', 'Marketing', 'Social'][i],
      CreatedAt: efDate(ago(days * D)),
      Description: 'Built-in template',
      IsCommunityTemplate: 0,
      IsSystemTemplate: 1,
      Name: ['Explainer', 'Product Promo', 'Short Story'][i],
      PreviewImage: '',
      PreviewVideo: '',
      Rating: 4.5,
      RatingCount: 12 + i,
      SubCategory: '',
      Tags: 'builtin',
      TemplateData: '{}',
      UpdatedAt: efDate(ago(days * D)),
      UsageCount: 3 * i,
    })),
  );
}

// The EF Core schema of Aura's aura.db (FACTS §3, from AuraDbContextModelSnapshot.cs) as the SQL EF
// emits for SQLite, plus the 8 migrations EF really discovers, so the sandbox DB is shaped like a real one.
import { AURA_EF_MIGRATIONS } from '../../shared/aura-migrations';

/** Migrations EF applies (only the classes with a [Migration] attribute), oldest first. */
export const EF_MIGRATIONS = AURA_EF_MIGRATIONS;

/** EF Core package version Aura ships (Aura.Core.csproj): what __EFMigrationsHistory.ProductVersion holds. */
export const EF_PRODUCT_VERSION = '8.0.11';

export const MIGRATIONS_HISTORY_DDL = `CREATE TABLE "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);`;

/** Every table of the model snapshot; max lengths are not enforced by SQLite, so EF emits plain TEXT. */
export const AURA_SCHEMA_DDL = `CREATE TABLE "ActionLogs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ActionLogs" PRIMARY KEY,
    "ActionType" TEXT NOT NULL,
    "AffectedResourceIds" TEXT NULL,
    "CanBatch" INTEGER NOT NULL,
    "CorrelationId" TEXT NULL,
    "Description" TEXT NOT NULL,
    "ErrorMessage" TEXT NULL,
    "ExpiresAt" TEXT NULL,
    "InverseActionType" TEXT NULL,
    "InversePayloadJson" TEXT NULL,
    "IsPersistent" INTEGER NOT NULL,
    "PayloadJson" TEXT NULL,
    "Status" TEXT NOT NULL,
    "Timestamp" TEXT NOT NULL,
    "UndoneAt" TEXT NULL,
    "UndoneByUserId" TEXT NULL,
    "UserId" TEXT NOT NULL
);

CREATE TABLE "AnalyticsRetentionSettings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AnalyticsRetentionSettings" PRIMARY KEY,
    "AggregateOldData" INTEGER NOT NULL,
    "AggregationThresholdDays" INTEGER NOT NULL,
    "AutoCleanupEnabled" INTEGER NOT NULL,
    "CleanupHourUtc" INTEGER NOT NULL,
    "CollectHardwareMetrics" INTEGER NOT NULL,
    "CostTrackingRetentionDays" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "IsEnabled" INTEGER NOT NULL,
    "MaxDatabaseSizeMB" INTEGER NOT NULL,
    "ModifiedBy" TEXT NULL,
    "PerformanceMetricsRetentionDays" INTEGER NOT NULL,
    "TrackSuccessOnly" INTEGER NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "UsageStatisticsRetentionDays" INTEGER NOT NULL
);

CREATE TABLE "AnalyticsSummaries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AnalyticsSummaries" PRIMARY KEY AUTOINCREMENT,
    "AverageCpuUsage" REAL NULL,
    "AverageDurationMs" INTEGER NOT NULL,
    "AverageMemoryUsageMB" REAL NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "FailedGenerations" INTEGER NOT NULL,
    "FeatureBreakdown" text NULL,
    "ModifiedBy" TEXT NULL,
    "MostUsedFeature" TEXT NULL,
    "MostUsedModel" TEXT NULL,
    "MostUsedProvider" TEXT NULL,
    "PeriodEnd" TEXT NOT NULL,
    "PeriodId" TEXT NOT NULL,
    "PeriodStart" TEXT NOT NULL,
    "PeriodType" TEXT NOT NULL,
    "ProviderBreakdown" text NULL,
    "SuccessfulGenerations" INTEGER NOT NULL,
    "TotalCostUSD" decimal(18,6) NOT NULL,
    "TotalGenerations" INTEGER NOT NULL,
    "TotalInputTokens" INTEGER NOT NULL,
    "TotalOutputTokens" INTEGER NOT NULL,
    "TotalRenderingTimeMs" INTEGER NOT NULL,
    "TotalScenes" INTEGER NOT NULL,
    "TotalTokens" INTEGER NOT NULL,
    "TotalVideoDurationSeconds" REAL NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "AssetStates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AssetStates" PRIMARY KEY,
    "AssetType" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "FilePath" TEXT NOT NULL,
    "FileSizeBytes" INTEGER NOT NULL,
    "IsTemporary" INTEGER NOT NULL,
    "MimeType" TEXT NULL,
    "ProjectId" TEXT NOT NULL
);

CREATE TABLE "audit_logs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_audit_logs" PRIMARY KEY,
    "Action" TEXT NOT NULL,
    "Changes" TEXT NULL,
    "ErrorMessage" TEXT NULL,
    "IpAddress" TEXT NULL,
    "Metadata" TEXT NULL,
    "ResourceId" TEXT NULL,
    "ResourceType" TEXT NULL,
    "Severity" TEXT NULL,
    "Success" INTEGER NOT NULL,
    "Timestamp" TEXT NOT NULL,
    "UserAgent" TEXT NULL,
    "UserId" TEXT NULL,
    "Username" TEXT NULL
);

CREATE TABLE "Configurations" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_Configurations" PRIMARY KEY,
    "Category" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "Description" TEXT NULL,
    "IsActive" INTEGER NOT NULL,
    "IsSensitive" INTEGER NOT NULL,
    "ModifiedBy" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Value" TEXT NOT NULL,
    "ValueType" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "ContentBlobs" (
    "ContentHash" TEXT NOT NULL CONSTRAINT "PK_ContentBlobs" PRIMARY KEY,
    "Content" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "LastReferencedAt" TEXT NOT NULL,
    "ModifiedBy" TEXT NULL,
    "ReferenceCount" INTEGER NOT NULL,
    "SizeBytes" INTEGER NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "CostTracking" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CostTracking" PRIMARY KEY AUTOINCREMENT,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "Currency" TEXT NOT NULL,
    "InputCost" decimal(18,6) NOT NULL,
    "InputPricePer1M" decimal(18,6) NOT NULL,
    "InputTokens" INTEGER NOT NULL,
    "IsEstimated" INTEGER NOT NULL,
    "JobId" TEXT NULL,
    "Model" TEXT NOT NULL,
    "ModifiedBy" TEXT NULL,
    "OutputCost" decimal(18,6) NOT NULL,
    "OutputPricePer1M" decimal(18,6) NOT NULL,
    "OutputTokens" INTEGER NOT NULL,
    "ProjectId" TEXT NULL,
    "Provider" TEXT NOT NULL,
    "Timestamp" TEXT NOT NULL,
    "TotalCost" decimal(18,6) NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "UsageStatisticsId" INTEGER NULL,
    "YearMonth" TEXT NOT NULL
);

CREATE TABLE "custom_templates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_custom_templates" PRIMARY KEY,
    "Author" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "DeletedAt" TEXT NULL,
    "DeletedBy" TEXT NULL,
    "Description" TEXT NOT NULL,
    "IsDefault" INTEGER NOT NULL,
    "IsDeleted" INTEGER NOT NULL,
    "LLMPipelineJson" TEXT NOT NULL,
    "ModifiedBy" TEXT NULL,
    "Name" TEXT NOT NULL,
    "ScriptStructureJson" TEXT NOT NULL,
    "Tags" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "VideoStructureJson" TEXT NOT NULL,
    "VisualPreferencesJson" TEXT NOT NULL
);

CREATE TABLE "export_history" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_export_history" PRIMARY KEY,
    "Codec" TEXT NULL,
    "CompletedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "DurationSeconds" REAL NOT NULL,
    "ErrorMessage" TEXT NULL,
    "FileSize" INTEGER NULL,
    "InputFile" TEXT NOT NULL,
    "OutputFile" TEXT NOT NULL,
    "Platform" TEXT NULL,
    "PresetName" TEXT NOT NULL,
    "Progress" REAL NOT NULL,
    "Resolution" TEXT NULL,
    "StartedAt" TEXT NULL,
    "Status" TEXT NOT NULL
);

CREATE TABLE "HardwareSettings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_HardwareSettings" PRIMARY KEY,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "ModifiedBy" TEXT NULL,
    "SettingsJson" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" TEXT NOT NULL
);

CREATE TABLE "JobProgressHistory" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_JobProgressHistory" PRIMARY KEY AUTOINCREMENT,
    "CurrentItem" INTEGER NULL,
    "ElapsedMilliseconds" INTEGER NULL,
    "EstimatedRemainingMilliseconds" INTEGER NULL,
    "JobId" TEXT NOT NULL,
    "Message" TEXT NOT NULL,
    "ProgressPercent" INTEGER NOT NULL,
    "Stage" TEXT NOT NULL,
    "SubstageDetail" TEXT NULL,
    "Timestamp" TEXT NOT NULL,
    "TotalItems" INTEGER NULL
);

CREATE TABLE "JobQueue" (
    "JobId" TEXT NOT NULL CONSTRAINT "PK_JobQueue" PRIMARY KEY,
    "CompletedAt" TEXT NULL,
    "CorrelationId" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "CurrentStage" TEXT NULL,
    "EnqueuedAt" TEXT NOT NULL,
    "IsQuickDemo" INTEGER NOT NULL,
    "JobDataJson" TEXT NOT NULL,
    "LastError" TEXT NULL,
    "MaxRetries" INTEGER NOT NULL,
    "ModifiedBy" TEXT NULL,
    "NextRetryAt" TEXT NULL,
    "OutputPath" TEXT NULL,
    "Priority" INTEGER NOT NULL,
    "ProgressPercent" INTEGER NOT NULL,
    "RetryCount" INTEGER NOT NULL,
    "StartedAt" TEXT NULL,
    "Status" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "WorkerId" TEXT NULL
);

CREATE TABLE "MediaCollections" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MediaCollections" PRIMARY KEY,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "DeletedAt" TEXT NULL,
    "DeletedBy" TEXT NULL,
    "Description" TEXT NULL,
    "IsDeleted" INTEGER NOT NULL,
    "ModifiedBy" TEXT NULL,
    "Name" TEXT NOT NULL,
    "ThumbnailUrl" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "MediaItems" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MediaItems" PRIMARY KEY,
    "BlobUrl" TEXT NOT NULL,
    "CollectionId" TEXT NULL,
    "ContentHash" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "DeletedAt" TEXT NULL,
    "DeletedBy" TEXT NULL,
    "Description" TEXT NULL,
    "FileName" TEXT NOT NULL,
    "FileSize" INTEGER NOT NULL,
    "IsDeleted" INTEGER NOT NULL,
    "LastUsedAt" TEXT NULL,
    "MetadataJson" TEXT NULL,
    "ModifiedBy" TEXT NULL,
    "PreviewUrl" TEXT NULL,
    "ProcessingError" TEXT NULL,
    "ProcessingStatus" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "ThumbnailUrl" TEXT NULL,
    "Type" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "UsageCount" INTEGER NOT NULL
);

CREATE TABLE "MediaTags" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MediaTags" PRIMARY KEY,
    "CreatedAt" TEXT NOT NULL,
    "MediaId" TEXT NOT NULL,
    "Tag" TEXT NOT NULL
);

CREATE TABLE "MediaUsages" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MediaUsages" PRIMARY KEY,
    "MediaId" TEXT NOT NULL,
    "ProjectId" TEXT NOT NULL,
    "ProjectName" TEXT NULL,
    "UsedAt" TEXT NOT NULL
);

CREATE TABLE "PerformanceMetrics" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PerformanceMetrics" PRIMARY KEY AUTOINCREMENT,
    "CpuUsagePercent" REAL NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "DiskIOOperations" INTEGER NULL,
    "DurationMs" INTEGER NOT NULL,
    "ErrorMessage" TEXT NULL,
    "GpuUsagePercent" REAL NULL,
    "JobId" TEXT NULL,
    "MemoryUsedMB" REAL NULL,
    "ModifiedBy" TEXT NULL,
    "NetworkBytesTransferred" INTEGER NULL,
    "OperationType" TEXT NOT NULL,
    "OutputFileSizeBytes" INTEGER NULL,
    "PeakMemoryMB" REAL NULL,
    "ProjectId" TEXT NULL,
    "QueueWaitMs" INTEGER NULL,
    "Stage" TEXT NULL,
    "Success" INTEGER NOT NULL,
    "SystemInfo" text NULL,
    "Throughput" REAL NULL,
    "ThroughputUnit" TEXT NULL,
    "Timestamp" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "WorkerCount" INTEGER NULL
);

CREATE TABLE "ProjectStates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ProjectStates" PRIMARY KEY,
    "BriefJson" TEXT NULL,
    "Category" TEXT NULL,
    "CompletedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "CurrentStage" TEXT NULL,
    "CurrentWizardStep" INTEGER NOT NULL,
    "DeletedAt" TEXT NULL,
    "DeletedBy" TEXT NULL,
    "Description" TEXT NULL,
    "DurationSeconds" REAL NULL,
    "ErrorMessage" TEXT NULL,
    "IsDeleted" INTEGER NOT NULL,
    "JobId" TEXT NULL,
    "LastAutoSaveAt" TEXT NULL,
    "ModifiedBy" TEXT NULL,
    "OutputFilePath" TEXT NULL,
    "PlanSpecJson" TEXT NULL,
    "ProgressPercent" INTEGER NOT NULL,
    "RenderSpecJson" TEXT NULL,
    "Status" TEXT NOT NULL,
    "Tags" TEXT NULL,
    "TemplateId" TEXT NULL,
    "ThumbnailPath" TEXT NULL,
    "Title" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "VoiceSpecJson" TEXT NULL
);

CREATE TABLE "ProjectVersions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ProjectVersions" PRIMARY KEY,
    "BriefHash" TEXT NULL,
    "BriefJson" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "CreatedByUserId" TEXT NULL,
    "DeletedAt" TEXT NULL,
    "DeletedBy" TEXT NULL,
    "Description" TEXT NULL,
    "IsDeleted" INTEGER NOT NULL,
    "IsMarkedImportant" INTEGER NOT NULL,
    "ModifiedBy" TEXT NULL,
    "Name" TEXT NULL,
    "PlanHash" TEXT NULL,
    "PlanSpecJson" TEXT NULL,
    "ProjectId" TEXT NOT NULL,
    "RenderHash" TEXT NULL,
    "RenderSpecJson" TEXT NULL,
    "StorageSizeBytes" INTEGER NOT NULL,
    "TimelineHash" TEXT NULL,
    "TimelineJson" TEXT NULL,
    "Trigger" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "VersionNumber" INTEGER NOT NULL,
    "VersionType" TEXT NOT NULL,
    "VoiceHash" TEXT NULL,
    "VoiceSpecJson" TEXT NULL
);

CREATE TABLE "ProviderConfigurations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ProviderConfigurations" PRIMARY KEY,
    "ConfigJson" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "IsEncrypted" INTEGER NOT NULL,
    "ModifiedBy" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" TEXT NOT NULL
);

CREATE TABLE "QueueConfiguration" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_QueueConfiguration" PRIMARY KEY,
    "CpuThrottleThreshold" INTEGER NOT NULL,
    "EnableNotifications" INTEGER NOT NULL,
    "FailedJobRetentionDays" INTEGER NOT NULL,
    "IsEnabled" INTEGER NOT NULL,
    "JobHistoryRetentionDays" INTEGER NOT NULL,
    "MaxConcurrentJobs" INTEGER NOT NULL,
    "MemoryThrottleThreshold" INTEGER NOT NULL,
    "PauseOnBattery" INTEGER NOT NULL,
    "PollingIntervalSeconds" INTEGER NOT NULL,
    "RetryBaseDelaySeconds" INTEGER NOT NULL,
    "RetryMaxDelaySeconds" INTEGER NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "RenderCheckpoints" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_RenderCheckpoints" PRIMARY KEY,
    "CheckpointData" TEXT NULL,
    "CheckpointTime" TEXT NOT NULL,
    "CompletedScenes" INTEGER NOT NULL,
    "IsValid" INTEGER NOT NULL,
    "OutputFilePath" TEXT NULL,
    "ProjectId" TEXT NOT NULL,
    "StageName" TEXT NOT NULL,
    "TotalScenes" INTEGER NOT NULL
);

CREATE TABLE "roles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_roles" PRIMARY KEY,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "Description" TEXT NULL,
    "IsSystemRole" INTEGER NOT NULL,
    "ModifiedBy" TEXT NULL,
    "Name" TEXT NOT NULL,
    "NormalizedName" TEXT NULL,
    "Permissions" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "SceneStates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SceneStates" PRIMARY KEY,
    "AudioFilePath" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "DurationSeconds" REAL NOT NULL,
    "ImageFilePath" TEXT NULL,
    "IsCompleted" INTEGER NOT NULL,
    "ProjectId" TEXT NOT NULL,
    "SceneIndex" INTEGER NOT NULL,
    "ScriptText" TEXT NOT NULL
);

CREATE TABLE "Settings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Settings" PRIMARY KEY,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "IsEncrypted" INTEGER NOT NULL,
    "ModifiedBy" TEXT NULL,
    "SettingsJson" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" TEXT NOT NULL
);

CREATE TABLE "system_configuration" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_system_configuration" PRIMARY KEY AUTOINCREMENT,
    "CreatedAt" TEXT NOT NULL,
    "FFmpegPath" TEXT NULL,
    "IsSetupComplete" INTEGER NOT NULL,
    "OutputDirectory" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "templates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_templates" PRIMARY KEY,
    "Author" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "IsCommunityTemplate" INTEGER NOT NULL,
    "IsSystemTemplate" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "PreviewImage" TEXT NOT NULL,
    "PreviewVideo" TEXT NOT NULL,
    "Rating" REAL NOT NULL,
    "RatingCount" INTEGER NOT NULL,
    "SubCategory" TEXT NOT NULL,
    "Tags" TEXT NOT NULL,
    "TemplateData" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "UsageCount" INTEGER NOT NULL
);

CREATE TABLE "UploadSessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_UploadSessions" PRIMARY KEY,
    "BlobUrl" TEXT NOT NULL,
    "CompletedChunksJson" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "TotalChunks" INTEGER NOT NULL,
    "TotalSize" INTEGER NOT NULL,
    "UploadedSize" INTEGER NOT NULL
);

CREATE TABLE "UsageStatistics" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_UsageStatistics" PRIMARY KEY AUTOINCREMENT,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "DurationMs" INTEGER NOT NULL,
    "ErrorMessage" TEXT NULL,
    "FeatureUsed" TEXT NULL,
    "GenerationType" TEXT NOT NULL,
    "InputTokens" INTEGER NULL,
    "IsRetry" INTEGER NOT NULL,
    "JobId" TEXT NULL,
    "Model" TEXT NULL,
    "ModifiedBy" TEXT NULL,
    "OutputDurationSeconds" REAL NULL,
    "OutputTokens" INTEGER NULL,
    "ProjectId" TEXT NULL,
    "Provider" TEXT NOT NULL,
    "RetryAttempt" INTEGER NULL,
    "SceneCount" INTEGER NULL,
    "Success" INTEGER NOT NULL,
    "Timestamp" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

CREATE TABLE "users" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_users" PRIMARY KEY,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "DisplayName" TEXT NULL,
    "Email" TEXT NOT NULL,
    "EmailVerified" INTEGER NOT NULL,
    "FailedLoginAttempts" INTEGER NOT NULL,
    "IsActive" INTEGER NOT NULL,
    "IsSuspended" INTEGER NOT NULL,
    "LastLoginAt" TEXT NULL,
    "LastLoginIp" TEXT NULL,
    "LockoutEnd" TEXT NULL,
    "Metadata" TEXT NULL,
    "ModifiedBy" TEXT NULL,
    "PasswordHash" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneVerified" INTEGER NOT NULL,
    "SuspendedAt" TEXT NULL,
    "SuspendedReason" TEXT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "TwoFactorSecret" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Username" TEXT NOT NULL
);

CREATE TABLE "user_quotas" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_user_quotas" PRIMARY KEY,
    "AiTokensPerMonth" INTEGER NULL,
    "AiTokensResetAt" TEXT NULL,
    "AiTokensUsedThisMonth" INTEGER NOT NULL,
    "ApiRequestsPerDay" INTEGER NULL,
    "ApiRequestsResetAt" TEXT NULL,
    "ApiRequestsUsedToday" INTEGER NOT NULL,
    "CostLimitUsd" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CreatedBy" TEXT NULL,
    "MaxConcurrentJobs" INTEGER NULL,
    "MaxConcurrentRenders" INTEGER NULL,
    "ModifiedBy" TEXT NULL,
    "StorageLimitBytes" INTEGER NULL,
    "StorageUsedBytes" INTEGER NOT NULL,
    "TotalCostUsd" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "VideosGeneratedThisMonth" INTEGER NOT NULL,
    "VideosPerMonth" INTEGER NULL,
    "VideosResetAt" TEXT NULL
);

CREATE TABLE "user_roles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    "AssignedAt" TEXT NOT NULL,
    "AssignedBy" TEXT NULL,
    CONSTRAINT "PK_user_roles" PRIMARY KEY ("UserId", "RoleId")
);

CREATE TABLE "user_setup" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_user_setup" PRIMARY KEY,
    "Completed" INTEGER NOT NULL,
    "CompletedAt" TEXT NULL,
    "LastStep" INTEGER NOT NULL,
    "SelectedTier" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "Version" TEXT NULL,
    "WizardState" TEXT NULL
);
`;

/** Indexes the sandbox adds on what its own queries filter by (EF declares comparable ones). */
export const AURA_INDEX_DDL = `CREATE INDEX "IX_JobQueue_Status" ON "JobQueue" ("Status");
CREATE INDEX "IX_JobProgressHistory_JobId" ON "JobProgressHistory" ("JobId");
CREATE INDEX "IX_ProjectStates_Status" ON "ProjectStates" ("Status");
CREATE INDEX "IX_audit_logs_Timestamp" ON "audit_logs" ("Timestamp");
`;

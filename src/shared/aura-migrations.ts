// The EF Core migrations Aura really applies (FACTS §3: only classes with a [Migration] attribute),
// oldest first. One list for the sandbox that writes __EFMigrationsHistory and the inspector that
// reads it.
export const AURA_EF_MIGRATIONS = [
  '20251026005425_InitialCreate',
  '20251101230642_AddUserSetupTable',
  '20251102050640_AddProjectStatePersistence',
  '20251103202216_AddActionLogAndSoftDelete',
  '20251108184353_AddWizardProjectManagement',
  '20251109170431_AddSystemConfiguration',
  '20251121045900_AddCreatedByToConfigurations',
  '20251122175419_AddMissingDatabaseTables',
] as const;

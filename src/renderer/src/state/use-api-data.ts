// A tiny hook for "call a channel, keep its result, reload on demand or when an event says so".
import { useCallback, useEffect, useState } from 'react';
import type { Channel, EventName, ParamsIn, Result } from '../../../shared/contract';
import { api, ApiError } from '../transport';

export function useApiData<C extends Channel>(channel: C, params: ParamsIn<C>, refreshOn?: EventName) {
  const [data, setData] = useState<Result<C> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const key = JSON.stringify(params);
  const reload = useCallback(async () => {
    try {
      setData(await api.invoke(channel, JSON.parse(key) as ParamsIn<C>));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ code: 'internal', message: String(err) }));
    }
  }, [channel, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => {
    if (!refreshOn) return;
    return api.on(refreshOn, () => void reload());
  }, [refreshOn, reload]);
  return { data, error, reload, setData };
}

// The scenario table lives in the shared contract (the renderer lists it too); re-exported here so
// Node-side code can import it next to the simulator.
export {
  SCENARIOS,
  SCENARIO_NAMES,
  type ScenarioInfo,
  type ScenarioName,
} from '../../shared/contract/sandbox';

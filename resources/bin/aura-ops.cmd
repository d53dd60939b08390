@echo off
rem aura-ops: the Aura Ops Console CLI, run by the app's own binary in CLI mode (RunAsNode is fused off).
"%~dp0..\..\Aura Ops Console.exe" --aura-ops-cli %*

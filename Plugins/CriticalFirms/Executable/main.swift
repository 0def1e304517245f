// critical-firms built as an external protocol-1 plugin, through the Swift SDK.
import CriticalFirms
import RoboChainPluginSDK

PluginMain.run(CriticalFirms())

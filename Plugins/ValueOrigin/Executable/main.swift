// value-origin built as an external protocol-1 plugin, through the Swift SDK.
import ValueOrigin
import RoboChainPluginSDK

PluginMain.run(ValueOrigin())

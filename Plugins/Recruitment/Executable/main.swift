// recruitment built as an external protocol-1 plugin, through the Swift SDK.
import Recruitment
import RoboChainPluginSDK

PluginMain.run(Recruitment())

// localisation-share built as an external protocol-1 plugin, through the Swift SDK.
import LocalisationShare
import RoboChainPluginSDK

PluginMain.run(LocalisationShare())

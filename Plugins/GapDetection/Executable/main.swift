// gap-detection built as an external protocol-1 plugin, through the Swift SDK.
import GapDetection
import RoboChainPluginSDK

PluginMain.run(GapDetection())

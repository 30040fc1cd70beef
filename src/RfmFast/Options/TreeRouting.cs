namespace RfmFast;

/// <summary>How a tree model sends a row to its leaves.</summary>
public enum TreeRouting
{
    /// <summary>Each row goes to one leaf, by the split thresholds (projection at most the threshold: left).</summary>
    Hard,

    /// <summary>Each row goes to a few leaves with weights from sigmoid gates at every split (xRFM's soft routing);
    /// the temperature is <see cref="TreeOptions.Temperature"/> or chosen on validation data.</summary>
    Soft,
}

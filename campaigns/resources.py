"""Export columns, from the declarations in campaigns.columns."""

from core.resources import resource_for

from . import columns
from .models import Campaign, CampaignFinding, ParkReturn

CampaignResource = resource_for("CampaignResource", columns.CAMPAIGNS, Campaign)
ReturnResource = resource_for("ReturnResource", columns.RETURNS, ParkReturn)
TaggedFindingResource = resource_for("TaggedFindingResource", columns.TAGGED_FINDINGS, CampaignFinding)
BoardResource = resource_for("BoardResource", columns.BOARD, Campaign)

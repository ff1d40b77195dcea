-- Argo CD health of every Steward kind (group mlops.steward.dev; the "_" folder is Argo CD's wildcard).
-- Steward status is kstatus-shaped: observedGeneration, a Ready condition, Stalled/Reconciling where they
-- apply, and per-kind conditions that are True when something needs a person. Only Argo CD's default Lua
-- libraries (base, table) are used, so the script runs without resource.customizations.useOpenLibs.

-- Conditions that make a resource Degraded when True, checked in this order (the first one found is shown).
local TROUBLE = {
  -- A blocked rollout keeps the admitted version serving (Ready may be True): still a person's job; so
  -- does an overdue owner review (the owner must renew it before any new version rolls out).
  ModelDeployment = { "RolloutBlocked", "ReviewOverdue" },
  DriftMonitor = { "CheckFailing", "CheckStale", "DriftDetected" },
  -- RetrainPipeline and OutputContract report trouble through Ready (a failed or stale fire drill sets
  -- Ready=False with the drill's reason); a training run in progress keeps Ready=True: the pipeline works.
}
-- Ready=False reasons that mean "on its way", not "broken": a rollout the operator is driving.
local PROGRESSING_REASONS = { RolloutProgressing = true, VersionPending = true }

local function condition(conditions, conditionType)
  for _, c in ipairs(conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

-- The first condition of the given types (in their order) whose status is True.
local function firstTrue(conditions, types)
  for _, conditionType in ipairs(types) do
    local c = condition(conditions, conditionType)
    if c ~= nil and c.status == "True" then
      return c
    end
  end
  return nil
end

local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return c.type .. ": " .. c.message
  end
  return c.type .. ": " .. (c.reason or c.status)
end

local hs = {}
local status = obj.status
if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Steward operator to reconcile"
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the Steward operator to observe generation " .. generation
  return hs
end

local conditions = status.conditions
local trouble = firstTrue(conditions, { "Stalled" }) or firstTrue(conditions, TROUBLE[obj.kind] or {})
if trouble ~= nil then
  hs.status = "Degraded"
  hs.message = describe(trouble)
  return hs
end
local reconciling = firstTrue(conditions, { "Reconciling" })
if reconciling ~= nil then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

local ready = condition(conditions, "Ready")
if ready == nil or ready.status == "Unknown" then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
elseif ready.reason == "Suspended" then
  -- A suspended DriftMonitor is Ready (nothing is wrong) but checks nothing: say so.
  hs.status = "Suspended"
  hs.message = ready.message
elseif ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
elseif PROGRESSING_REASONS[ready.reason] then
  hs.status = "Progressing"
  hs.message = ready.message
else
  hs.status = "Degraded"
  hs.message = describe(ready)
end
return hs

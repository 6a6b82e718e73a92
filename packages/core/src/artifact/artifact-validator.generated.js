// Generated from ARTIFACT_SCHEMA (artifact-schema.ts) by scripts/precompile-artifact-schema.ts:
// ajv standalone validation code. Do not edit; run the script again after changing the schema.
import { formats } from './date-time-format.js';
import { ucs2length } from '../validator-runtime.js';

/** Adds an error to `list` (null when there is none yet). */
function E(list, instancePath, keyword, params) {
(list ??= []).push({instancePath, keyword, params});
return list;
}
const validators = (() => {
  const exports = {};

exports.s0 = validate10;
const func2 = ucs2length;
const pattern0 = new RegExp("^[^.]+(\\.[^.]+)*$", "u");
const pattern1 = new RegExp("^[0-9a-f]{8,64}$", "u");

function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.signature === undefined){
vErrors = E(vErrors, instancePath, "required", {missingProperty: "signature"});
errors++;
}
if(data.instructions === undefined){
vErrors = E(vErrors, instancePath, "required", {missingProperty: "instructions"});
errors++;
}
if(data.demos === undefined){
vErrors = E(vErrors, instancePath, "required", {missingProperty: "demos"});
errors++;
}
for(const key0 in data){
if(!(((((key0 === "signature") || (key0 === "instructions")) || (key0 === "demos")) || (key0 === "fields")) || (key0 === "lm"))){
vErrors = E(vErrors, instancePath, "additionalProperties", {additionalProperty: key0});
errors++;
}
}
if(data.signature !== undefined){
let data0 = data.signature;
if(data0 && typeof data0 == "object" && !Array.isArray(data0)){
if(data0.name === undefined){
vErrors = E(vErrors, instancePath+"/signature", "required", {missingProperty: "name"});
errors++;
}
if(data0.hash === undefined){
vErrors = E(vErrors, instancePath+"/signature", "required", {missingProperty: "hash"});
errors++;
}
for(const key1 in data0){
if(!((key1 === "name") || (key1 === "hash"))){
vErrors = E(vErrors, instancePath+"/signature", "additionalProperties", {additionalProperty: key1});
errors++;
}
}
if(data0.name !== undefined){
if(typeof data0.name !== "string"){
vErrors = E(vErrors, instancePath+"/signature/name", "type", {type: "string"});
errors++;
}
}
if(data0.hash !== undefined){
let data2 = data0.hash;
if(typeof data2 === "string"){
if(!pattern1.test(data2)){
vErrors = E(vErrors, instancePath+"/signature/hash", "pattern", {pattern: "^[0-9a-f]{8,64}$"});
errors++;
}
}
else {
vErrors = E(vErrors, instancePath+"/signature/hash", "type", {type: "string"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/signature", "type", {type: "object"});
errors++;
}
}
if(data.instructions !== undefined){
if(typeof data.instructions !== "string"){
vErrors = E(vErrors, instancePath+"/instructions", "type", {type: "string"});
errors++;
}
}
if(data.demos !== undefined){
let data4 = data.demos;
if(Array.isArray(data4)){
const len0 = data4.length;
for(let i0=0; i0<len0; i0++){
let data5 = data4[i0];
if(!(data5 && typeof data5 == "object" && !Array.isArray(data5))){
vErrors = E(vErrors, instancePath+"/demos/" + i0, "type", {type: "object"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/demos", "type", {type: "array"});
errors++;
}
}
if(data.fields !== undefined){
let data6 = data.fields;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
for(const key2 in data6){
let data7 = data6[key2];
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
for(const key3 in data7){
if(!((key3 === "description") || (key3 === "prefix"))){
vErrors = E(vErrors, instancePath+"/fields/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"), "additionalProperties", {additionalProperty: key3});
errors++;
}
}
if(data7.description !== undefined){
if(typeof data7.description !== "string"){
vErrors = E(vErrors, instancePath+"/fields/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/description", "type", {type: "string"});
errors++;
}
}
if(data7.prefix !== undefined){
if(typeof data7.prefix !== "string"){
vErrors = E(vErrors, instancePath+"/fields/" + key2.replace(/~/g, "~0").replace(/\//g, "~1")+"/prefix", "type", {type: "string"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/fields/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"), "type", {type: "object"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/fields", "type", {type: "object"});
errors++;
}
}
if(data.lm !== undefined){
let data10 = data.lm;
if(data10 && typeof data10 == "object" && !Array.isArray(data10)){
if(data10.model !== undefined){
if(typeof data10.model !== "string"){
vErrors = E(vErrors, instancePath+"/lm/model", "type", {type: "string"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/lm", "type", {type: "object"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath, "type", {type: "object"});
errors++;
}
validate11.errors = vErrors;
return errors === 0;
}

const formats0 = formats["date-time"];

function validate13(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.optimizer !== undefined){
let data0 = data.optimizer;
if(data0 && typeof data0 == "object" && !Array.isArray(data0)){
if(data0.name === undefined){
vErrors = E(vErrors, instancePath+"/optimizer", "required", {missingProperty: "name"});
errors++;
}
if(data0.name !== undefined){
if(typeof data0.name !== "string"){
vErrors = E(vErrors, instancePath+"/optimizer/name", "type", {type: "string"});
errors++;
}
}
if(data0.options !== undefined){
let data2 = data0.options;
if(!(data2 && typeof data2 == "object" && !Array.isArray(data2))){
vErrors = E(vErrors, instancePath+"/optimizer/options", "type", {type: "object"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/optimizer", "type", {type: "object"});
errors++;
}
}
if(data.metric !== undefined){
if(typeof data.metric !== "string"){
vErrors = E(vErrors, instancePath+"/metric", "type", {type: "string"});
errors++;
}
}
if(data.trainset !== undefined){
let data4 = data.trainset;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(data4.size === undefined){
vErrors = E(vErrors, instancePath+"/trainset", "required", {missingProperty: "size"});
errors++;
}
if(data4.size !== undefined){
let data5 = data4.size;
if(!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))){
vErrors = E(vErrors, instancePath+"/trainset/size", "type", {type: "integer"});
errors++;
}
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 < 0 || isNaN(data5)){
vErrors = E(vErrors, instancePath+"/trainset/size", "minimum", {comparison: ">=", limit: 0});
errors++;
}
}
}
if(data4.hash !== undefined){
if(typeof data4.hash !== "string"){
vErrors = E(vErrors, instancePath+"/trainset/hash", "type", {type: "string"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/trainset", "type", {type: "object"});
errors++;
}
}
if(data.valset !== undefined){
let data7 = data.valset;
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
if(data7.size === undefined){
vErrors = E(vErrors, instancePath+"/valset", "required", {missingProperty: "size"});
errors++;
}
if(data7.size !== undefined){
let data8 = data7.size;
if(!(((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8))) && (isFinite(data8)))){
vErrors = E(vErrors, instancePath+"/valset/size", "type", {type: "integer"});
errors++;
}
if((typeof data8 == "number") && (isFinite(data8))){
if(data8 < 0 || isNaN(data8)){
vErrors = E(vErrors, instancePath+"/valset/size", "minimum", {comparison: ">=", limit: 0});
errors++;
}
}
}
if(data7.hash !== undefined){
if(typeof data7.hash !== "string"){
vErrors = E(vErrors, instancePath+"/valset/hash", "type", {type: "string"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/valset", "type", {type: "object"});
errors++;
}
}
if(data.scores !== undefined){
let data10 = data.scores;
if(data10 && typeof data10 == "object" && !Array.isArray(data10)){
for(const key0 in data10){
let data11 = data10[key0];
if((!((typeof data11 == "number") && (isFinite(data11)))) && (data11 !== null)){
vErrors = E(vErrors, instancePath+"/scores/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"), "type", {type: ["number","null"]});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/scores", "type", {type: "object"});
errors++;
}
}
if(data.seed !== undefined){
let data12 = data.seed;
if((!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))) && (data12 !== null)){
vErrors = E(vErrors, instancePath+"/seed", "type", {type: ["integer","null"]});
errors++;
}
}
if(data.versions !== undefined){
let data13 = data.versions;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
for(const key1 in data13){
if(typeof data13[key1] !== "string"){
vErrors = E(vErrors, instancePath+"/versions/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), "type", {type: "string"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/versions", "type", {type: "object"});
errors++;
}
}
if(data.createdAt !== undefined){
let data15 = data.createdAt;
if(typeof data15 === "string"){
if(!(formats0.validate(data15))){
vErrors = E(vErrors, instancePath+"/createdAt", "format", {format: "date-time"});
errors++;
}
}
else {
vErrors = E(vErrors, instancePath+"/createdAt", "type", {type: "string"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath, "type", {type: "object"});
errors++;
}
validate13.errors = vErrors;
return errors === 0;
}


function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="s0" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.format === undefined){
vErrors = E(vErrors, instancePath, "required", {missingProperty: "format"});
errors++;
}
if(data.formatVersion === undefined){
vErrors = E(vErrors, instancePath, "required", {missingProperty: "formatVersion"});
errors++;
}
if(data.program === undefined){
vErrors = E(vErrors, instancePath, "required", {missingProperty: "program"});
errors++;
}
if(data.predictors === undefined){
vErrors = E(vErrors, instancePath, "required", {missingProperty: "predictors"});
errors++;
}
for(const key0 in data){
if(!(((((((key0 === "$schema") || (key0 === "format")) || (key0 === "formatVersion")) || (key0 === "program")) || (key0 === "predictors")) || (key0 === "lm")) || (key0 === "provenance"))){
vErrors = E(vErrors, instancePath, "additionalProperties", {additionalProperty: key0});
errors++;
}
}
if(data.$schema !== undefined){
if(typeof data.$schema !== "string"){
vErrors = E(vErrors, instancePath+"/$schema", "type", {type: "string"});
errors++;
}
}
if(data.format !== undefined){
if("dspy-ts.artifact" !== data.format){
vErrors = E(vErrors, instancePath+"/format", "const", {allowedValue: "dspy-ts.artifact"});
errors++;
}
}
if(data.formatVersion !== undefined){
let data2 = data.formatVersion;
if(!((data2 === 1) || (data2 === 2))){
vErrors = E(vErrors, instancePath+"/formatVersion", "enum", {allowedValues: [1,2]});
errors++;
}
}
if(data.program !== undefined){
let data3 = data.program;
if(typeof data3 === "string"){
if(func2(data3) < 1){
vErrors = E(vErrors, instancePath+"/program", "minLength", {limit: 1});
errors++;
}
}
else {
vErrors = E(vErrors, instancePath+"/program", "type", {type: "string"});
errors++;
}
}
if(data.predictors !== undefined){
let data4 = data.predictors;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
for(const key1 in data4){
const _errs10 = errors;
if(typeof key1 === "string"){
if(!pattern0.test(key1)){
(vErrors ??= []).push({instancePath:instancePath+"/predictors",keyword:"pattern",params:{pattern: "^[^.]+(\\.[^.]+)*$"},propertyName:key1});
errors++;
}
}
var valid1 = _errs10 === errors;
if(!valid1){
vErrors = E(vErrors, instancePath+"/predictors", "propertyNames", {propertyName: key1});
errors++;
}
}
for(const key2 in data4){
if(!(validate11(data4[key2], {instancePath:instancePath+"/predictors/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data4,parentDataProperty:key2,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/predictors", "type", {type: "object"});
errors++;
}
}
if(data.lm !== undefined){
let data6 = data.lm;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
if(data6.model !== undefined){
if(typeof data6.model !== "string"){
vErrors = E(vErrors, instancePath+"/lm/model", "type", {type: "string"});
errors++;
}
}
}
else {
vErrors = E(vErrors, instancePath+"/lm", "type", {type: "object"});
errors++;
}
}
if(data.provenance !== undefined){
if(!(validate13(data.provenance, {instancePath:instancePath+"/provenance",parentData:data,parentDataProperty:"provenance",rootData}))){
vErrors = vErrors === null ? validate13.errors : vErrors.concat(validate13.errors);
errors = vErrors.length;
}
}
}
else {
vErrors = E(vErrors, instancePath, "type", {type: "object"});
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

  return {
  "artifact": exports.s0,
  };
})();

export const validateArtifactSchema = validators.artifact;
